/**
 * The engine: runs a scenario's steps against a running lab while the sampler and the writer record
 * the History, then judges it with the scenario's checks. Whatever happens (a step fails, an error,
 * Ctrl-C), every fault still in place is healed in `finally`, and the lab's health at the end is reported.
 * Each fault is journaled in the lab directory before it is applied and forgotten once healed, so one
 * this process could not heal (it was killed) is still known, and healed, from there.
 * Time comes from one injected Clock and the lab's services are reached through one LabClient, so the
 * engine runs unchanged against a simulated cluster in simulated time (test/scenarios/engine.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { systemClock, waitUntil, WaitTimeoutError, type Clock, type Probe } from '../clock.js';
import type { Provider } from '../providers/provider.js';
import type { LabSecrets } from '../render/types.js';
import type { LabSpec } from '../spec/schema.js';
import { LabAccess } from '../cluster/access.js';
import { evaluateBound } from './bounds.js';
import { runChecks, verdict, type CheckResult, type CheckStatus } from './checks/index.js';
import { CONDITIONS, evaluateCondition, type Verdict } from './conditions.js';
import { recognizeFindings, type Finding } from './checks/findings.js';
import { collectHaproxyLog, collectPatroniLog } from './client/patroni-log.js';
import { FAULTS, type FaultContext, type FaultRequest } from './faults/registry.js';
import { healAndForget, refuseOverJournaledFaults } from './faults/journaled.js';
import { refuseUnsupportedFaults } from './faults/needs.js';
import type { Journal, JournalEntry } from '../labdir/fault-journal.js';
import { computeFigures, type Figures } from './checks/figures.js';
import { HistoryRecorder, type FaultEvent, type HealEvent, type History, type HistoryEvent, type StepEvent, type Timings, type FinalReadEvent } from './history/history.js';
import { labClient, type LabClient } from './client/lab-client.js';
import type { Scenario, Step } from './load.js';
import { SAMPLE_PERIOD_MS, Sampler } from './client/sampler.js';
import { ETCD_LEADER, HAPROXY_NODE, resolveTarget, takeRoster, targetsHaproxyNode, type Roster } from './targets.js';
import { currentLeader, viewSince, type LiveView } from './history/live.js';
import { HistoryFileWriter, readHistoryFile } from './history/file.js';
import { Writer } from './client/writer.js';
import { chosenPaths, Workload, type PathSpec } from './client/workload.js';
import { UserCommand } from './client/user-command.js';
import { configuredPaths, workloadEnv } from '../cluster/entry-paths.js';
import { entryPathsNow } from '../cluster/entry-now.js';
import { ExitCode, LabError } from '../errors.js';

export interface RunOptions {
  scenario: Scenario;
  spec: LabSpec;
  provider: Provider;
  secrets: LabSecrets;
  /** The lab directory's fault journal: a run refuses to start over a fault in it, and journals its own. */
  journal: Journal;
  /** Aborting (Ctrl-C) stops the steps at once; healing and the final read still happen. */
  signal?: AbortSignal;
  onEvent?: (event: HistoryEvent) => void;
  /** Every wait, sample and write is timed on it; default the system clock (unit tests simulate time). */
  clock?: Clock;
  /** How the run reaches the lab's services; default over LabAccess (unit tests simulate a cluster). */
  client?: LabClient;
  /**
   * Drives the faults instead of the scenario's steps (`lab chaos`); the sampler, the writer, the
   * heals in `finally`, the final read and the checks are the same.
   */
  drive?: (run: RunControl) => Promise<void>;
  /** Faults `drive` may inject, checked before the first step as a scenario's own faults are (their mechanisms). */
  faults?: readonly string[];
  /**
   * Streams the History to this file (JSON lines) and keeps only its last minute in memory; the
   * checks then read it back from the file (history-file.ts), so a run of hours stays bounded.
   */
  historyFile?: string;
  /** The user's own command (`--workload`), run during the scenario with `lab env`'s settings. */
  command?: { line: string; graceMs: number };
}

/** What a driver (`lab chaos`) acts through: the run's clock, what the samples show now, faults and heals. */
export interface RunControl {
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly nodes: readonly string[];
  /** ms since the run started. */
  now(): number;
  /** The latest samples (at most 2 s old). */
  view(): LiveView;
  step(event: Omit<StepEvent, 't' | 'kind'>): void;
  /** Records, journals and injects a fault; the entry is there to heal when it left something to undo. Throws when it could not be applied. */
  inject(fault: string, request: FaultRequest): Promise<{ entry?: JournalEntry; detail: string }>;
  /** Heals one fault injected by inject(), recording it; never throws. */
  heal(entry: JournalEntry): Promise<HealEvent>;
  /** Records the end of a fault that left nothing to undo (it has no entry): its hold is over. */
  endHold(fault: string, node: string, detail: string): HealEvent;
  /** The faults in force now, as journaled. */
  active(): readonly JournalEntry[];
}

/** How much of the History a run streamed to disk keeps in memory: what the writer and the waits look at, with room. */
const RETAIN_MS = 60_000;

export interface RunResult {
  history: History;
  checks: CheckResult[];
  verdict: CheckStatus;
  figures: Figures;
  /** The lab's health once everything was healed. */
  lab: { healthy: boolean; problems: string[] };
  interrupted: boolean;
  wallMs: number;
  /** Known behaviour of the software under test that this run showed (see findings.ts). */
  findings: Finding[];
}

function timingsOf(spec: LabSpec): Timings {
  return {
    ttl: spec.patroni.ttl,
    loopWait: spec.patroni.loopWait,
    retryTimeout: spec.patroni.retryTimeout,
    primaryStartTimeout: spec.patroni.primaryStartTimeout,
    safetyMargin: spec.watchdog.safetyMargin,
  };
}

/** How long, after the steps, the engine waits for the healed lab to be healthy (shorter after Ctrl-C). */
const SETTLE_MS = { normal: 120_000, interrupted: 20_000 };
/** How long the first step naming a role waits for a leader to take the roles from. */
const ROSTER_MS = 30_000;
const POLL_MS = SAMPLE_PERIOD_MS;

class StepFailed extends Error {}

const asProbe = (v: Verdict): Probe<string> => (v.ok ? { ok: true, value: v.detail } : { ok: false, reason: v.reason });

/** "delayMs 200, jitterMs 50". Pure. */
const describeParams = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');

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

class ScenarioRun {
  /** Tags this run's rows in the writes table, so runs never see each other's writes. */
  readonly runId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  readonly recorder: HistoryRecorder;
  private readonly clock: Clock;
  private readonly access: LabAccess;
  private readonly client: LabClient;
  private readonly nodes: string[];
  private readonly timings: Timings;
  /** Faults in force, as journaled: healed from the same record `lab heal` would use. */
  private readonly active: JournalEntry[] = [];
  private roster: Roster | undefined;
  private readonly bootMarkers = new Map<string, string>();
  private readonly historyFile: HistoryFileWriter | undefined;
  /** The entry paths the run's clients use. */
  private paths: PathSpec[] = [];

  constructor(private readonly o: RunOptions) {
    this.nodes = o.spec.nodes.map((n) => n.name);
    this.timings = timingsOf(o.spec);
    this.clock = o.clock ?? systemClock;
    this.recorder = new HistoryRecorder(
      {
        scenario: o.scenario.name,
        lab: o.spec.name,
        provider: o.spec.provider,
        startedAt: new Date().toISOString(),
        nodes: this.nodes,
        timings: this.timings,
        synchronousMode: o.spec.patroni.synchronousMode,
        samplePeriodMs: SAMPLE_PERIOD_MS,
      },
      this.clock,
      o.historyFile ? RETAIN_MS : undefined,
    );
    if (o.historyFile) {
      const file = new HistoryFileWriter(o.historyFile, this.recorder.meta);
      this.recorder.onEvent((e) => file.write(e));
      this.historyFile = file;
    }
    if (o.onEvent) this.recorder.onEvent(o.onEvent);
    this.access = new LabAccess(o.provider, o.secrets);
    this.client = o.client ?? labClient(this.access, o.spec);
  }

  private ms(bound: string): number {
    return evaluateBound(bound, this.timings);
  }

  private get faultContext(): FaultContext {
    return { provider: this.o.provider, spec: this.o.spec, access: this.access };
  }

  /**
   * Polls `probe` every POLL_MS on the run's clock until it is ok or the run's time reaches `until`
   * (then WaitTimeoutError). A probe that throws ends the wait with its error; so does an abort of
   * the run, unless the wait is what happens after one.
   */
  private pollUntil<T>(what: string, until: number, probe: () => Promise<Probe<T>>, { interruptible = true } = {}): Promise<T> {
    return waitUntil(probe, {
      what,
      timeoutMs: Math.max(0, until - this.recorder.now()),
      intervalMs: POLL_MS,
      clock: this.clock,
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

  /** Fixes who was leader and who were replicas, the first time a step names a role. */
  private async ensureRoster(): Promise<Roster> {
    if (this.roster) return this.roster;
    const since = this.recorder.now();
    const roster = await this.pollUntil('a leader to take roles from', since + ROSTER_MS, async () => {
      const view = viewSince(this.recorder.events, this.nodes, since);
      const taken = view.complete ? takeRoster(view) : undefined;
      return taken ? { ok: true, value: taken } : { ok: false, reason: view.complete ? 'no node accepts writes' : 'not every node sampled yet' };
    }).catch((e: unknown) => {
      throw e instanceof WaitTimeoutError ? new StepFailed(`no leader to take roles from within ${ROSTER_MS / 1000} s`) : e;
    });
    this.roster = roster;
    for (const node of this.nodes) this.bootMarkers.set(node, (await this.o.provider.bootMarker(node)).marker);
    return roster;
  }

  private async target(name: string): Promise<string> {
    // run() refused a lab without one before anything ran.
    if (name === HAPROXY_NODE) return this.o.spec.entry!.haproxy!.name;
    const roster = await this.ensureRoster();
    if (name === ETCD_LEADER) return this.client.etcdLeader().catch((e: unknown) => {
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
        await this.clock.sleep(this.ms(step.duration), this.o.signal);
        return '';
      case 'wait': {
        const target = await this.conditionTarget(step);
        const within = this.ms(step.within);
        const detail = await this.pollUntil(step.condition, since + within, async () => asProbe(await this.condition(step.condition, since, target))).catch((e: unknown) => {
          throw e instanceof WaitTimeoutError ? new StepFailed(`not within ${step.within} (${(within / 1000).toFixed(1)} s): ${e.lastReason}`) : e;
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
          if (!v.ok && !v.pending) throw new StepFailed(`stopped holding after ${((this.recorder.now() - since) / 1000).toFixed(1)} s: ${v.reason}`);
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
        const { detail } = await this.inject(step.fault, { node, ...(step.service ? { service: step.service } : {}), ...(to ? { to } : {}), ...(step.params ? { params: step.params } : {}) });
        return `${node}: ${detail}`;
      }
      case 'heal': {
        const node = step.target && (await this.target(step.target));
        const matching = this.active.filter((a) => (step.fault === 'all' || a.fault === step.fault) && (!node || a.node === node));
        if (matching.length === 0) throw new StepFailed(`no ${step.fault === 'all' ? '' : `${step.fault} `}fault in place${node ? ` on ${node}` : ''}`);
        const results = await this.heal(matching);
        if (results.some((r) => !r.ok)) throw new StepFailed(results.filter((r) => !r.ok).map((r) => `${r.node}: ${r.detail}`).join('; '));
        return results.map((r) => `${r.node}: ${r.detail}`).join('; ');
      }
    }
  }

  /** Records, journals, then applies a fault; see RunControl.inject. */
  private async inject(name: string, request: FaultRequest): Promise<{ entry?: JournalEntry; detail: string }> {
    const fault = FAULTS[name]!;
    const record = await fault.undo?.record(this.faultContext, request);
    const detail = [request.service, request.to && `to ${request.to}`, request.params && describeParams(request.params)].filter(Boolean).join(' ');
    this.recorder.record<FaultEvent>({ kind: 'fault', fault: name, node: request.node, detail, ...(record !== undefined ? { journaled: true } : {}) });
    // Journaled, and healed in `finally`, before it is applied: it may be half-applied when this stops.
    let entry: JournalEntry | undefined;
    if (record !== undefined) {
      const run = { id: this.runId, scenario: this.o.scenario.name, pid: process.pid };
      entry = await this.o.journal.add({ fault: name, node: request.node, ...(request.service ? { service: request.service } : {}), record: record as Record<string, unknown>, run });
      this.active.push(entry);
    }
    return { ...(entry ? { entry } : {}), detail: await fault.inject(this.faultContext, request, record) };
  }

  private get control(): RunControl {
    return {
      clock: this.clock,
      ...(this.o.signal ? { signal: this.o.signal } : {}),
      nodes: this.nodes,
      now: () => this.recorder.now(),
      view: () => viewSince(this.recorder.events, this.nodes, this.recorder.now() - 2000),
      step: (event) => void this.recorder.record<StepEvent>({ kind: 'step', ...event }),
      inject: (name, request) => this.inject(name, request),
      heal: async (entry) => (await this.heal(this.active.includes(entry) ? [entry] : []))[0] ?? this.recorder.record<HealEvent>({ kind: 'heal', fault: entry.fault, node: entry.node, ok: true, detail: 'healed already' }),
      endHold: (fault, node, detail) => this.recorder.record<HealEvent>({ kind: 'heal', fault, node, ok: true, detail }),
      active: () => [...this.active],
    };
  }

  /** Runs the driver in place of the steps; resolves whether it was interrupted. */
  private async runDrive(drive: (run: RunControl) => Promise<void>): Promise<boolean> {
    try {
      await drive(this.control);
      return false;
    } catch (e) {
      if (this.o.signal?.aborted) return true;
      throw e;
    }
  }

  /** Heals the given active faults, newest first, recording each; never throws. */
  private async heal(faults: JournalEntry[]): Promise<HealEvent[]> {
    const events: HealEvent[] = [];
    for (const a of [...faults].reverse()) {
      const { ok, detail } = await healAndForget(this.o.journal, this.faultContext, a);
      this.active.splice(this.active.indexOf(a), 1);
      events.push(this.recorder.record<HealEvent>({ kind: 'heal', fault: a.fault, node: a.node, ok, detail }));
    }
    return events;
  }

  private async runSteps(): Promise<boolean> {
    const steps = this.o.scenario.steps;
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
          this.recorder.record<StepEvent>({ kind: 'step', index: index + 1 + later, step: describeStep(rest), status: 'skipped', detail: interrupted ? 'interrupted' : `step ${index + 1} failed` });
        }
        return interrupted;
      }
    }
    return false;
  }

  /** After the steps: wait (bounded) for one leader, then read back the writes it holds. */
  private async finalRead(settleMs: number): Promise<void> {
    const since = this.recorder.now();
    // Not interruptible: this is what happens after Ctrl-C too. Still unhealthy at the end: read anyway.
    await this.pollUntil('the lab to be healthy', since + settleMs, async () => asProbe(await this.condition('healthy', since)), { interruptible: false }).catch((e: unknown) => {
      if (!(e instanceof WaitTimeoutError)) throw e;
    });
    const leader = currentLeader(viewSince(this.recorder.events, this.nodes, since));
    if (!leader) return;
    try {
      const seqs = await this.client.readBack(leader.node, this.runId);
      this.recorder.record<FinalReadEvent>({ kind: 'final-read', node: leader.node, seqs });
    } catch {
      // No final read recorded: no-lost-writes says unknown, which is the truth.
    }
  }

  /** `lab env`'s settings for a --workload command; a lab without entry points has none (exit 3, before anything runs). */
  private async commandEnv(): Promise<Record<string, string>> {
    const entry = this.o.spec.entry;
    if (!entry) throw new LabError('--workload: this lab has no entry points, so there are no connection settings to give the command', ExitCode.badInput, 'add an `entry:` section to lab.yaml (docs/entry-points.md), then `lab up`');
    return workloadEnv(await entryPathsNow(this.access, entry, this.o.spec.nodes), this.o.secrets.superuserPassword);
  }

  async run(): Promise<RunResult> {
    if (targetsHaproxyNode(this.o.scenario.steps) && !this.o.spec.entry?.haproxy) {
      throw new LabError(
        `scenario ${this.o.scenario.name} acts on the HAProxy node (target: ${HAPROXY_NODE}), and lab ${this.o.spec.name} has none`,
        ExitCode.badInput,
        'add an `entry:` section with HAProxy to lab.yaml (docs/entry-points.md), then `lab up`',
      );
    }
    // A scenario asking for clients the lab cannot have fails before anything runs (exit 3).
    this.paths = chosenPaths(this.o.spec.entry ? configuredPaths(this.o.spec.entry) : [], this.o.scenario.clients, this.o.scenario.name);
    await refuseOverJournaledFaults(this.o.journal, `scenario ${this.o.scenario.name} not started`);
    await refuseUnsupportedFaults(this.o.scenario, this.o.provider, this.nodes[0]!, this.o.faults);
    const started = this.clock.now();
    const sampler = new Sampler(this.recorder, this.client, this.nodes);
    const writer = new Writer(this.recorder, this.client, this.runId);
    const workload = new Workload(this.recorder, this.client, this.runId, this.paths);
    const command = this.o.command && new UserCommand(this.recorder, { command: this.o.command.line, env: await this.commandEnv(), graceMs: this.o.command.graceMs });
    let interrupted = false;
    sampler.start();
    writer.start();
    workload.start();
    command?.start();
    let health: { healthy: boolean; problems: string[] };
    try {
      try {
        interrupted = this.o.drive ? await this.runDrive(this.o.drive) : await this.runSteps();
      } finally {
        await this.heal([...this.active]);
        interrupted ||= this.o.signal?.aborted ?? false;
        await Promise.all([writer.stop(), workload.stop(), command?.stop(interrupted)]);
        await this.finalRead(interrupted ? SETTLE_MS.interrupted : SETTLE_MS.normal);
        await sampler.stop();
      }
      // After the sampler: Patroni's reasons for each role change, and HAProxy's marking servers up and
      // down, from their own journals (timed finer than the sampler and the stats poll).
      const origin = Date.parse(this.recorder.meta.startedAt);
      const logs = await Promise.all([collectPatroniLog(this.o.provider, this.nodes, origin), collectHaproxyLog(this.o.provider, origin)]);
      for (const line of logs.flat()) this.recorder.recordAt(line);
      health = await this.client.health().catch((e: unknown) => ({ healthy: false, problems: [e instanceof Error ? e.message : String(e)] }));
    } finally {
      await this.client.close?.();
      await this.access.close();
      await this.historyFile?.close();
    }
    const history = this.o.historyFile ? await readHistoryFile(this.o.historyFile) : this.recorder.snapshot();
    const checks = runChecks(history, this.o.scenario.checks);
    return {
      history,
      checks,
      verdict: verdict(checks),
      figures: computeFigures(history),
      lab: { healthy: health.healthy, problems: health.problems },
      interrupted,
      wallMs: Math.round(this.clock.now() - started),
      findings: recognizeFindings(history),
    };
  }
}

export function runScenario(options: RunOptions): Promise<RunResult> {
  return new ScenarioRun(options).run();
}
