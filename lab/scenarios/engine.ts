/**
 * The engine: orchestrates one run against a running lab. It refuses what cannot run, starts the
 * clients that record the History (sampler, writer, workload, the user's command), has the step
 * interpreter (step-interpreter.ts) or a driver (`lab chaos`) act through the nemesis
 * (faults/nemesis.ts), and whatever happens (a step fails, an error, Ctrl-C) heals every fault still
 * in place in `finally`, reads the writes back, and judges the History with the scenario's checks.
 * Time comes from one injected Clock and the lab's services are reached through one LabClient, so the
 * engine runs unchanged against a simulated cluster in simulated time (test/scenarios/engine.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import type { Provider } from '../providers/provider.js';
import type { LabSecrets } from '../render/types.js';
import type { LabSpec } from '../spec/schema.js';
import { LabAccess } from '../cluster/access.js';
import { runChecks, verdict, type CheckResult, type CheckStatus } from './checks/index.js';
import { recognizeFindings, type Finding } from './checks/findings.js';
import { collectHaproxyLog, collectPatroniLog } from './client/patroni-log.js';
import { refuseOverJournaledFaults } from './faults/journaled.js';
import { Nemesis } from './faults/nemesis.js';
import { refuseUnsupportedFaults } from './faults/needs.js';
import type { Journal } from '../labdir/fault-journal.js';
import { computeFigures, type Figures } from './checks/figures.js';
import {
  HistoryRecorder,
  type History,
  type HistoryEvent,
  type StepEvent,
  type Timings,
  type FinalReadEvent,
} from './history/history.js';
import { labClient, type LabClient } from './client/lab-client.js';
import type { Scenario } from './load.js';
import { SAMPLE_PERIOD_MS, Sampler } from './client/sampler.js';
import { StepInterpreter } from './step-interpreter.js';
import { HAPROXY_NODE, targetsHaproxyNode } from './targets.js';
import { currentLeader, viewSince, type LiveView } from './history/live.js';
import { HistoryFileWriter, readHistoryFile } from './history/file.js';
import { Writer } from './client/writer.js';
import { chosenPaths, Workload } from './client/workload.js';
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
  command?: { line: string; graceMs: number; onLine?: (line: string) => void };
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
  /** The run's nemesis (faults/nemesis.ts): what a driver injects is journaled and healed in `finally` as a step's fault is. */
  inject: Nemesis['inject'];
  heal: Nemesis['healOne'];
  endHold: Nemesis['endHold'];
  active: Nemesis['active'];
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

class ScenarioRun {
  /** Tags this run's rows in the writes table, so runs never see each other's writes. */
  readonly runId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  readonly recorder: HistoryRecorder;
  private readonly clock: Clock;
  private readonly access: LabAccess;
  private readonly client: LabClient;
  private readonly nodes: string[];
  private readonly nemesis: Nemesis;
  private readonly interpreter: StepInterpreter;
  private readonly historyFile: HistoryFileWriter | undefined;

  constructor(private readonly o: RunOptions) {
    this.nodes = o.spec.nodes.map((n) => n.name);
    this.clock = o.clock ?? systemClock;
    this.recorder = new HistoryRecorder(
      {
        scenario: o.scenario.name,
        lab: o.spec.name,
        provider: o.spec.provider,
        startedAt: new Date().toISOString(),
        nodes: this.nodes,
        timings: timingsOf(o.spec),
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
    this.nemesis = new Nemesis({
      recorder: this.recorder,
      journal: o.journal,
      context: { provider: o.provider, spec: o.spec, access: this.access, clock: this.clock },
      run: { id: this.runId, scenario: o.scenario.name, pid: process.pid },
    });
    this.interpreter = new StepInterpreter({
      recorder: this.recorder,
      clock: this.clock,
      ...(o.signal ? { signal: o.signal } : {}),
      spec: o.spec,
      provider: o.provider,
      client: this.client,
      nemesis: this.nemesis,
    });
  }

  private get control(): RunControl {
    return {
      clock: this.clock,
      ...(this.o.signal ? { signal: this.o.signal } : {}),
      nodes: this.nodes,
      now: () => this.recorder.now(),
      view: () => viewSince(this.recorder.events, this.nodes, this.recorder.now() - 2000),
      step: (event) => void this.recorder.record<StepEvent>({ kind: 'step', ...event }),
      inject: (name, request) => this.nemesis.inject(name, request),
      heal: (entry) => this.nemesis.healOne(entry),
      endHold: (fault, node, detail) => this.nemesis.endHold(fault, node, detail),
      active: () => this.nemesis.active(),
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

  /** After the steps: wait (bounded) for one leader, then read back the writes it holds. */
  private async finalRead(settleMs: number): Promise<void> {
    const since = this.recorder.now();
    await this.interpreter.settle(settleMs);
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
  /** `lab env`'s settings: a lab without `entry:` gives the libpq multi-host path over its nodes' own ports. */
  private async commandEnv(): Promise<Record<string, string>> {
    return workloadEnv(await entryPathsNow(this.access, this.o.spec.entry, this.o.spec.nodes), this.o.secrets.superuserPassword);
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
    const paths = chosenPaths(
      this.o.spec.entry ? configuredPaths(this.o.spec.entry) : [],
      this.o.scenario.clients,
      this.o.scenario.name,
    );
    await refuseOverJournaledFaults(this.o.journal, `scenario ${this.o.scenario.name} not started`);
    await refuseUnsupportedFaults(this.o.scenario, this.o.provider, this.nodes[0]!, this.o.faults);
    const started = this.clock.now();
    const sampler = new Sampler(this.recorder, this.client, this.nodes);
    const writer = new Writer(this.recorder, this.client, this.runId);
    const workload = new Workload(this.recorder, this.client, this.runId, paths);
    const command =
      this.o.command &&
      new UserCommand(this.recorder, {
        command: this.o.command.line,
        env: await this.commandEnv(),
        graceMs: this.o.command.graceMs,
        ...(this.o.command.onLine ? { onLine: this.o.command.onLine } : {}),
      });
    let interrupted = false;
    sampler.start();
    writer.start();
    workload.start();
    command?.start();
    let health: { healthy: boolean; problems: string[] };
    try {
      try {
        interrupted = this.o.drive ? await this.runDrive(this.o.drive) : await this.interpreter.run(this.o.scenario.steps);
      } finally {
        await this.nemesis.healAll();
        interrupted ||= this.o.signal?.aborted ?? false;
        await Promise.all([writer.stop(), workload.stop(), command?.stop(interrupted)]);
        await this.finalRead(interrupted ? SETTLE_MS.interrupted : SETTLE_MS.normal);
        await sampler.stop();
      }
      // After the sampler: Patroni's reasons for each role change, and HAProxy's marking servers up and
      // down, from their own journals (timed finer than the sampler and the stats poll).
      const origin = Date.parse(this.recorder.meta.startedAt);
      const logs = await Promise.all([
        collectPatroniLog(this.o.provider, this.nodes, origin),
        collectHaproxyLog(this.o.provider, origin),
      ]);
      for (const line of logs.flat()) this.recorder.recordAt(line);
      health = await this.client
        .health()
        .catch((e: unknown) => ({ healthy: false, problems: [e instanceof Error ? e.message : String(e)] }));
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
