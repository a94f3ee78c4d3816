/**
 * A chaos run: the schedule played against the lab by the scenario engine (engine.ts: the same
 * sampler, writer, journal, heals in `finally`, final read and checks), each fault one step from its
 * injection to its heal. A fault that cannot be applied fails its step and the run goes on; Ctrl-C
 * stops the schedule, and the engine heals what is in force.
 */
import { formatSeconds } from '../../clock.js';
import { runScenario, type RunControl, type RunOptions, type RunResult } from '../engine.js';
import { computeChaosFigures, type ChaosFigures } from './figures.js';
import type { Scenario } from '../load.js';
import { resolveRole } from '../targets.js';
import { defaultParams } from '../faults/kit.js';
import { FAULTS } from '../faults/registry.js';
import type { JournalEntry } from '../../labdir/fault-journal.js';
import { generateSchedule, type ScheduledFault, type ScheduleSettings } from './schedule.js';

/** The checks that judge the whole History of a chaos run (the steps check always runs too). */
export const CHAOS_CHECKS = ['single-primary', 'no-lost-writes', 'faults-healed'] as const;

export function chaosScenario(seed: number, durationMs: number): Scenario {
  return {
    name: `chaos-seed-${seed}`,
    summary: `seeded random faults for ${formatSeconds(durationMs)}, judged as a whole`,
    file: '',
    steps: [],
    checks: CHAOS_CHECKS.map((name) => ({ name, params: {} })),
  };
}

export function describeScheduled(s: ScheduledFault): string {
  return `#${s.n} ${s.fault}${s.service ? ` ${s.service}` : ''} on ${s.role} for ${formatSeconds(s.holdMs)}`;
}

type Action = { t: number; heal: boolean; s: ScheduledFault };

/** Drives the schedule through the engine's RunControl until `durationMs` has passed. */
export function driveSchedule(schedule: readonly ScheduledFault[], durationMs: number): (run: RunControl) => Promise<void> {
  return async (run) => {
    // Heals before injections at the same instant: a fault is never held past its time.
    const actions: Action[] = schedule
      .flatMap((s) => [
        { t: s.at, heal: false, s },
        { t: s.at + s.holdMs, heal: true, s },
      ])
      .sort((a, b) => a.t - b.t || Number(b.heal) - Number(a.heal));
    const injected = new Map<number, { node: string; detail: string; entry?: JournalEntry }>();
    for (const { t, heal, s } of actions) {
      const wait = t - run.now();
      if (wait > 0) await run.clock.sleep(wait, run.signal);
      const step = { index: s.n - 1, step: describeScheduled(s) };
      if (!heal) {
        run.step({ ...step, status: 'start' });
        const { node, note } = resolveRole(s.role, s.pick, run.view(), run.nodes);
        const already = run.active().find((a) => a.fault === s.fault && a.node === node);
        if (already) {
          run.step({ ...step, status: 'ok', detail: `not injected: ${s.fault} is in force on ${node} already` });
          continue;
        }
        try {
          const params = defaultParams(FAULTS[s.fault] ?? {});
          const { entry, detail } = await run.inject(s.fault, {
            node,
            ...(s.service ? { service: s.service } : {}),
            ...(params ? { params } : {}),
          });
          injected.set(s.n, { node, detail: [detail, note].filter(Boolean).join('; '), ...(entry ? { entry } : {}) });
        } catch (e) {
          if (run.signal?.aborted) throw e;
          run.step({ ...step, status: 'fail', detail: `${node}: ${e instanceof Error ? e.message : String(e)}` });
        }
        continue;
      }
      const done = injected.get(s.n);
      if (!done) continue;
      injected.delete(s.n);
      const healed = done.entry ? await run.heal(done.entry) : run.endHold(s.fault, done.node, 'nothing to undo');
      run.step({
        ...step,
        status: healed.ok ? 'ok' : 'fail',
        detail: `${done.node}: ${done.detail}; healed: ${healed.detail ?? ''}`,
      });
    }
    const rest = durationMs - run.now();
    if (rest > 0) await run.clock.sleep(rest, run.signal);
  };
}

/** A chaos run, done: what was asked, what was drawn, what happened and its figures. */
export interface ChaosRun {
  settings: ScheduleSettings;
  schedule: ScheduledFault[];
  result: RunResult;
  figures: ChaosFigures;
  /** The History as JSON lines (every sample), where the run streamed it. */
  historyFile: string;
}

export type ChaosOptions = Omit<RunOptions, 'scenario' | 'drive' | 'historyFile' | 'faults'> & {
  settings: ScheduleSettings;
  historyFile: string;
};

/** Draws the schedule and plays it against the lab; the History goes to `historyFile` as it is recorded. */
export async function runChaos({ settings, historyFile, ...run }: ChaosOptions): Promise<ChaosRun> {
  const schedule = generateSchedule(settings);
  const result = await runScenario({
    ...run,
    scenario: chaosScenario(settings.seed, settings.durationMs),
    faults: schedule.map((s) => s.fault),
    drive: driveSchedule(schedule, settings.durationMs),
    historyFile,
  });
  return { settings, schedule, result, figures: computeChaosFigures(result.history), historyFile };
}
