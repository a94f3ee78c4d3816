/**
 * What a scenario run needs from a lab (its spec, a provider, its secrets, its fault journal), and the
 * one way a lab is brought up and taken down, for the commands, the tests and the bench.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { WaitTimeoutError } from '../clock.js';
import { LabAccess } from '../cluster/access.js';
import { bringUp, labHealthy, waitFor, type BringUpOptions } from '../cluster/readiness.js';
import type { LabHealth } from '../cluster/health.js';
import { generatedContext, specContext, type LabContext, type LabLocation } from '../labdir/context.js';
import { ExitCode, LabError } from '../errors.js';
import { FaultJournal } from '../labdir/fault-journal.js';
import { generateLab } from '../labdir/generate.js';
import { readSecrets } from '../labdir/secrets.js';
import { createProvider } from '../providers/index.js';
import type { DownResult, Provider } from '../providers/provider.js';
import type { LabSecrets } from '../render/types.js';
import { runScenario, type RunOptions, type RunResult } from '../scenarios/engine.js';
import type { HistoryEvent } from '../scenarios/history/history.js';
import {
  describeEntry,
  healCommandLine,
  healJournaled,
  refuseOverJournaledFaults,
  type HealOutcome,
} from '../scenarios/faults/journaled.js';
import { loadScenario } from '../scenarios/load.js';
import { runChaos, type ChaosRun } from '../scenarios/chaos/run.js';
import type { ScheduleSettings } from '../scenarios/chaos/schedule.js';

/** What to do after a scenario or chaos run was interrupted (Ctrl-C): it heals its faults as it stops. */
export const AFTER_INTERRUPTED_RUN =
  'its faults are healed on the way out; `lab status` shows the lab, `lab heal` undoes a fault left in force';

export interface OpenLab {
  ctx: LabContext;
  provider: Provider;
  secrets: LabSecrets;
  journal: FaultJournal;
}

/**
 * A generated, running lab with no fault left in force; throws (with the fix) when it is not. The
 * journal is looked at first: a crash-node a killed run left is healed by `lab heal`, not by guessing.
 */
export async function openLab(args: LabLocation): Promise<OpenLab> {
  const ctx = await generatedContext(args);
  const secrets = await readSecrets(ctx.dir);
  if (!secrets) throw new LabError(`no secrets.json in ${ctx.dir}`, ExitCode.badInput, 'run `lab up` first');
  const journal = new FaultJournal(ctx.dir);
  await refuseOverJournaledFaults(journal, 'no scenario can start');
  const provider = await createProvider(ctx);
  const running = await provider.running();
  const down = ctx.spec.nodes.map((n) => n.name).filter((n) => !running.includes(n));
  if (down.length > 0)
    throw new LabError(`the lab is not running (${down.join(', ')} down)`, ExitCode.infrastructure, 'start it with `lab up`');
  return { ctx, provider, secrets, journal };
}

export interface UpLabOptions extends BringUpOptions {
  /** Each fault a killed scenario left in force, as it is healed. */
  onHeal?: (outcome: HealOutcome) => void;
}

export interface UpLabResult {
  changed: boolean;
  health: LabHealth;
  healed: HealOutcome[];
}

/**
 * Before bringUp: a running lab with a fault left in force (say a partition) is unhealthy, and
 * provisioning it again would not lift the fault. A heal that fails on a node that is down is left
 * for after the boot; one that fails on a running node stops `lab up`.
 */
async function healBeforeUp(
  journal: FaultJournal,
  provider: Provider,
  ctx: LabContext,
  options: UpLabOptions,
): Promise<HealOutcome[]> {
  if ((await journal.entries()).length === 0) return [];
  const running = await provider.running();
  const outcomes = await healJournaled(journal, { provider }, { onOutcome: options.onHeal });
  const stuck = outcomes.filter((o) => !o.ok && running.includes(o.entry.node));
  if (stuck.length > 0) {
    throw new LabError(
      `could not heal what a scenario left in force:\n${stuck.map((o) => `  - ${describeEntry(o.entry)}: ${o.detail}`).join('\n')}`,
      ExitCode.infrastructure,
      `see \`lab status\`, then \`${healCommandLine(ctx.dir)}\``,
    );
  }
  // Healed, the lab recovers by itself; bringUp would take it for broken meanwhile and provision it again.
  const nowRunning = await provider.running();
  if (outcomes.some((o) => o.ok) && ctx.spec.nodes.every((n) => nowRunning.includes(n.name))) {
    const access = await LabAccess.forLab(provider, ctx.dir);
    await waitFor(labHealthy(access, ctx.spec, options.healthyTimeoutMs), options)
      .catch((e: unknown) => {
        if (!(e instanceof WaitTimeoutError)) throw e;
      })
      .finally(() => access.close());
  }
  return outcomes;
}

/**
 * `lab up`, for the command, the tests and the bench: generate the lab directory, heal the faults a
 * killed scenario left in force, then bringUp (cluster/readiness.ts).
 */
export async function upLab(ctx: LabContext, options: UpLabOptions = {}): Promise<UpLabResult> {
  await generateLab(ctx);
  const provider = await createProvider(ctx);
  const journal = new FaultJournal(ctx.dir);
  const before = await healBeforeUp(journal, provider, ctx, options);
  const result = await bringUp(provider, ctx, options);
  // Faults on nodes that were down: their boot ended them, and their heals find nothing left to undo.
  const after = await healJournaled(journal, { provider }, { onOutcome: options.onHeal });
  const failed = after.filter((o) => !o.ok);
  if (failed.length > 0) {
    throw new LabError(
      `the lab is up, but these faults could not be healed:\n${failed.map((o) => `  - ${describeEntry(o.entry)}: ${o.detail}`).join('\n')}`,
      ExitCode.infrastructure,
      `see \`lab status\`, then \`${healCommandLine(ctx.dir)}\``,
    );
  }
  return { ...result, healed: [...before, ...after] };
}

/** `lab down`: the machines go, and the faults in force on them with them. */
export async function downLab(ctx: LabContext, options: { images?: boolean } = {}): Promise<DownResult> {
  const result = await (await createProvider(ctx)).down(options);
  await new FaultJournal(ctx.dir).clear();
  return result;
}

/** `lab up` without the printing, for the integration tests and the bench: a no-op when the lab is up and healthy. */
export async function upAndOpen(location: LabLocation, options: { signal?: AbortSignal } = {}): Promise<OpenLab> {
  await upLab(await specContext(location), { healthyTimeoutMs: 300_000, ...options });
  return openLab(location);
}

/** Loads a scenario by name or file and runs it on an open lab. */
export async function runNamedScenario(
  lab: OpenLab,
  name: string,
  options: Pick<RunOptions, 'signal' | 'onEvent' | 'command'> = {},
): Promise<RunResult> {
  const scenario = await loadScenario(name);
  return runScenario({
    scenario,
    spec: lab.ctx.spec,
    provider: lab.provider,
    secrets: lab.secrets,
    journal: lab.journal,
    ...options,
  });
}

/** Where a chaos run streams its History unless told: the lab directory, by seed and start time (two runs never share a file). */
export function defaultChaosHistory(lab: OpenLab, seed: number, now = new Date()): string {
  return path.join(lab.ctx.dir, 'chaos', `seed-${seed}-${now.toISOString().replace(/\D/g, '').slice(0, 14)}.jsonl`);
}

/** A chaos run on an open lab, for the command, the integration tests and the bench. */
export async function chaosOn(
  lab: OpenLab,
  settings: ScheduleSettings,
  options: { historyFile?: string; signal?: AbortSignal; onEvent?: (e: HistoryEvent) => void } = {},
): Promise<ChaosRun> {
  const historyFile = path.resolve(options.historyFile ?? defaultChaosHistory(lab, settings.seed));
  await mkdir(path.dirname(historyFile), { recursive: true });
  return runChaos({
    settings,
    historyFile,
    spec: lab.ctx.spec,
    provider: lab.provider,
    secrets: lab.secrets,
    journal: lab.journal,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}
