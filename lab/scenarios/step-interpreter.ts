/**
 * The step interpreter: runs a scenario's steps (wait, hold, fault, heal, sleep) in order, recording
 * each step's start and end in the History; the first that fails, or an abort, skips the rest.
 * Conditions are judged on the samples the run records, every wait is one `waitUntil` on the run's
 * clock, and faults go through the run's nemesis, so a step never touches a fault's journal itself.
 */
import { waitUntil, WaitTimeoutError, type Clock, type Probe } from '../clock.js';
import type { Provider } from '../providers/provider.js';
import type { LabSpec } from '../spec/schema.js';
import { evaluateBound } from './bounds.js';
import type { LabClient } from './client/lab-client.js';
import { SAMPLE_PERIOD_MS } from './client/sampler.js';
import { CONDITIONS, evaluateCondition, type Verdict } from './conditions.js';
import { describeParams, type Nemesis } from './faults/nemesis.js';
import type { HistoryRecorder, StepEvent } from './history/history.js';
import { viewSince } from './history/live.js';
import type { Step } from './load.js';
import { ETCD_LEADER, HAPROXY_NODE, resolveTarget, takeRoster, type Roster } from './targets.js';

/** How long the first step naming a role waits for a leader to take the roles from. */
const ROSTER_MS = 30_000;
const POLL_MS = SAMPLE_PERIOD_MS;

class StepFailed extends Error {}

const asProbe = (v: Verdict): Probe<string> => (v.ok ? { ok: true, value: v.detail } : { ok: false, reason: v.reason });

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'wait':
      return `wait: ${step.condition}${step.target ? ` (${step.target})` : ''} within ${step.within}`;
    case 'hold':
      return `hold: ${step.condition} for ${step.for}`;
    case 'fault':
      return `fault: ${step.fault}${step.service ? ` ${step.service}` : ''} on ${step.target}${step.to ? ` to ${step.to}` : ''}${step.params ? ` (${describeParams(step.params)})` : ''}`;
    case 'heal':
      return `heal: ${step.fault}${step.target ? ` on ${step.target}` : ''}`;
    case 'sleep':
      return `sleep: ${step.duration}`;
  }
}

export interface InterpreterOptions {
  recorder: HistoryRecorder;
  clock: Clock;
  /** Aborting stops the steps at once; the waits after one (see pollUntil) still run. */
  signal?: AbortSignal;
  spec: LabSpec;
  /** For each node's boot marker, taken with the roster. */
  provider: Pick<Provider, 'bootMarker'>;
  /** For the etcd leader, a target only etcd can name. */
  client: Pick<LabClient, 'etcdLeader'>;
  nemesis: Nemesis;
}

export class StepInterpreter {
  private readonly nodes: readonly string[];
  private roster: Roster | undefined;
  private readonly bootMarkers = new Map<string, string>();

  constructor(private readonly o: InterpreterOptions) {
    this.nodes = o.recorder.meta.nodes;
  }

  private get recorder(): HistoryRecorder {
    return this.o.recorder;
  }

  private ms(bound: string): number {
    return evaluateBound(bound, this.recorder.meta.timings);
  }

  /**
   * Polls `probe` every POLL_MS on the run's clock until it is ok or the run's time reaches `until`
   * (then WaitTimeoutError). A probe that throws ends the wait with its error; so does an abort of
   * the run, unless the wait is what happens after one (settle).
   */
  private pollUntil<T>(what: string, until: number, probe: () => Promise<Probe<T>>, { interruptible = true } = {}): Promise<T> {
    return waitUntil(probe, {
      what,
      timeoutMs: Math.max(0, until - this.recorder.now()),
      intervalMs: POLL_MS,
      clock: this.o.clock,
      fatal: () => true,
      ...(interruptible && this.o.signal ? { signal: this.o.signal } : {}),
    });
  }

  private condition(name: string, since: number, target?: string): Promise<Verdict> {
    return evaluateCondition(name, {
      events: this.recorder.events,
      nodes: this.nodes,
      since,
      roster: this.roster ?? { leader: '', replicas: [] },
      ...(target ? { target } : {}),
      provider: this.o.provider,
      bootMarkers: this.bootMarkers,
      synchronousMode: this.o.spec.patroni.synchronousMode,
    });
  }

  /**
   * Waits up to `ms` for the lab to be healthy, on samples from now on. Not interruptible: the run
   * does this after Ctrl-C too. A lab still unhealthy at the end is no error (the final read goes ahead).
   */
  async settle(ms: number): Promise<void> {
    const since = this.recorder.now();
    await this.pollUntil('the lab to be healthy', since + ms, async () => asProbe(await this.condition('healthy', since)), {
      interruptible: false,
    }).catch((e: unknown) => {
      if (!(e instanceof WaitTimeoutError)) throw e;
    });
  }

  /** Fixes who was leader and who were replicas, the first time a step names a role. */
  private async ensureRoster(): Promise<Roster> {
    if (this.roster) return this.roster;
    const since = this.recorder.now();
    const roster = await this.pollUntil('a leader to take roles from', since + ROSTER_MS, async () => {
      const view = viewSince(this.recorder.events, this.nodes, since);
      const taken = view.complete ? takeRoster(view) : undefined;
      return taken
        ? { ok: true, value: taken }
        : { ok: false, reason: view.complete ? 'no node accepts writes' : 'not every node sampled yet' };
    }).catch((e: unknown) => {
      throw e instanceof WaitTimeoutError ? new StepFailed(`no leader to take roles from within ${ROSTER_MS / 1000} s`) : e;
    });
    this.roster = roster;
    for (const node of this.nodes) this.bootMarkers.set(node, (await this.o.provider.bootMarker(node)).marker);
    return roster;
  }

  private async target(name: string): Promise<string> {
    // The run refused a lab without one before anything ran.
    if (name === HAPROXY_NODE) return this.o.spec.entry!.haproxy!.name;
    const roster = await this.ensureRoster();
    if (name === ETCD_LEADER)
      return this.o.client.etcdLeader().catch((e: unknown) => {
        throw new StepFailed(`${ETCD_LEADER}: ${e instanceof Error ? e.message : String(e)}`);
      });
    return resolveTarget(name, roster, viewSince(this.recorder.events, this.nodes, this.recorder.now() - 2000), this.nodes);
  }

  /** For a wait or hold: fixes the roles first when its condition compares with them, then resolves its target. */
  private async conditionTarget(step: Extract<Step, { kind: 'wait' | 'hold' }>): Promise<string | undefined> {
    if (CONDITIONS[step.condition]!.needsRoster) await this.ensureRoster();
    return step.target && this.target(step.target);
  }

  /** Runs one step; resolves with what it found, throws StepFailed when it did not do what it promised. */
  private async runStep(step: Step): Promise<string> {
    const since = this.recorder.now();
    switch (step.kind) {
      case 'sleep':
        await this.o.clock.sleep(this.ms(step.duration), this.o.signal);
        return '';
      case 'wait': {
        const target = await this.conditionTarget(step);
        const within = this.ms(step.within);
        const detail = await this.pollUntil(step.condition, since + within, async () =>
          asProbe(await this.condition(step.condition, since, target)),
        ).catch((e: unknown) => {
          throw e instanceof WaitTimeoutError
            ? new StepFailed(`not within ${step.within} (${(within / 1000).toFixed(1)} s): ${e.lastReason}`)
            : e;
        });
        return `${detail} after ${((this.recorder.now() - since) / 1000).toFixed(1)} s`;
      }
      case 'hold': {
        const target = await this.conditionTarget(step);
        const end = since + this.ms(step.for);
        let judged = 0;
        // Over once the time is up; a definite violation (not just samples still missing) breaks it at once.
        await this.pollUntil(`${step.condition} to hold`, end + POLL_MS, async () => {
          const v = await this.condition(step.condition, since, target);
          if (!v.ok && !v.pending)
            throw new StepFailed(`stopped holding after ${((this.recorder.now() - since) / 1000).toFixed(1)} s: ${v.reason}`);
          if (v.ok) judged++;
          return this.recorder.now() >= end ? { ok: true, value: undefined } : { ok: false, reason: v.ok ? 'holding' : v.reason };
        });
        if (judged === 0) throw new StepFailed('no fresh samples of every node during the hold');
        return `held for ${step.for} (${judged} observations)`;
      }
      case 'fault': {
        await this.ensureRoster();
        const node = await this.target(step.target);
        const to = step.to && (await this.target(step.to));
        const { detail } = await this.o.nemesis.inject(step.fault, {
          node,
          ...(step.service ? { service: step.service } : {}),
          ...(to ? { to } : {}),
          ...(step.params ? { params: step.params } : {}),
        });
        return `${node}: ${detail}`;
      }
      case 'heal': {
        const node = step.target && (await this.target(step.target));
        const matching = this.o.nemesis
          .active()
          .filter((a) => (step.fault === 'all' || a.fault === step.fault) && (!node || a.node === node));
        if (matching.length === 0)
          throw new StepFailed(`no ${step.fault === 'all' ? '' : `${step.fault} `}fault in place${node ? ` on ${node}` : ''}`);
        const results = await this.o.nemesis.heal(matching);
        if (results.some((r) => !r.ok))
          throw new StepFailed(
            results
              .filter((r) => !r.ok)
              .map((r) => `${r.node}: ${r.detail}`)
              .join('; '),
          );
        return results.map((r) => `${r.node}: ${r.detail}`).join('; ');
      }
    }
  }

  /** Runs the steps in order; resolves whether an abort stopped them (a failed step is recorded, not thrown). */
  async run(steps: readonly Step[]): Promise<boolean> {
    for (const [index, step] of steps.entries()) {
      const name = describeStep(step);
      this.recorder.record<StepEvent>({ kind: 'step', index, step: name, status: 'start' });
      try {
        const detail = await this.runStep(step);
        this.recorder.record<StepEvent>({ kind: 'step', index, step: name, status: 'ok', ...(detail ? { detail } : {}) });
      } catch (e) {
        const interrupted = this.o.signal?.aborted ?? false;
        const detail = interrupted ? 'interrupted' : e instanceof Error ? e.message : String(e);
        this.recorder.record<StepEvent>({ kind: 'step', index, step: name, status: interrupted ? 'skipped' : 'fail', detail });
        for (const [later, rest] of steps.slice(index + 1).entries()) {
          this.recorder.record<StepEvent>({
            kind: 'step',
            index: index + 1 + later,
            step: describeStep(rest),
            status: 'skipped',
            detail: interrupted ? 'interrupted' : `step ${index + 1} failed`,
          });
        }
        return interrupted;
      }
    }
    return false;
  }
}
