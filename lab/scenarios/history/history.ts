/**
 * The History: everything a scenario run observed and did, as timestamped events. Checks are pure
 * functions of it, so a History saved with `--json` can be checked again, and tests build them by hand.
 * Times are milliseconds since the run started, on the run's clock (monotonic; simulated in unit tests).
 */
import type { Clock } from '../../clock.js';
import type { NodeSample } from '../../cluster/probe.js';
import type { SqlErrorClass } from '../../cluster/sql.js';
import type { LabSpec } from '../../spec/schema.js';

/** One probe of one node by the sampler (Patroni REST, SQL and etcd health, taken together: cluster/probe.ts). */
export interface SampleEvent extends NodeSample {
  kind: 'sample';
  t: number;
}

/**
 * A write as Jepsen records an operation: `invoke`, then how it completed: `ok` acknowledged,
 * `fail` certainly not applied, `indeterminate` unknown (Jepsen's `info`: e.g. the connection died
 * after the statement was sent, so it may have committed).
 */
export interface WriteEvent {
  kind: 'write';
  t: number;
  seq: number;
  phase: 'invoke' | WriteOutcome;
  node: string;
  error?: string;
  /** Why a write failed or is indeterminate. */
  errorClass?: SqlErrorClass;
}

export type WriteOutcome = 'ok' | 'fail' | 'indeterminate';

export interface FaultEvent {
  kind: 'fault';
  t: number;
  fault: string;
  node: string;
  detail?: string;
  /** The step's `with:`, defaults filled in: what was asked (set-parameter: the parameter and its value). */
  params?: Record<string, unknown>;
  /** It leaves something to undo: it was journaled, and a heal must follow (faults-healed). */
  journaled?: boolean;
}

export interface HealEvent {
  kind: 'heal';
  t: number;
  fault: string;
  node: string;
  ok: boolean;
  detail?: string;
}

export interface StepEvent {
  kind: 'step';
  t: number;
  index: number;
  step: string;
  status: 'start' | 'ok' | 'fail' | 'skipped';
  detail?: string;
}

/** The sequence numbers present on the final primary once the run is over. */
export interface FinalReadEvent {
  kind: 'final-read';
  t: number;
  node: string;
  seqs: number[];
}

/** A line a service logged during the run, kept when it explains a role change (Patroni's reasons, HAProxy marking a server up or down). */
export interface LogEvent {
  kind: 'log';
  t: number;
  node: string;
  source: 'patroni' | 'haproxy';
  line: string;
}

/**
 * An application's operation through an entry path (HAProxy, PgBouncer, libpq multi-host), recorded
 * as the writer's are: invoke, then ok, fail or indeterminate with the error's class. A read says the
 * highest sequence number it saw of `of`, the read-write path whose rows it reads.
 */
export interface OpEvent {
  kind: 'op';
  t: number;
  path: string;
  op: 'write' | 'read';
  /** Numbers a path's operations in order; a write's is the sequence number of its row. */
  id: number;
  phase: 'invoke' | WriteOutcome;
  error?: string;
  errorClass?: SqlErrorClass;
  /** A read: the read-write path whose rows it read, and the highest sequence number it saw (null: none). */
  of?: string;
  seen?: number | null;
}

/** HAProxy's servers taking connections per listener, recorded when they change (from its stats). */
export interface HaproxyEvent {
  kind: 'haproxy';
  t: number;
  /** Servers UP on the read-write listener (haproxy.cfg's `primary`). */
  readWrite: string[];
  /** Servers UP on the read-only listener (`standbys`). */
  readOnly: string[];
}

/**
 * The user's own command (`lab scenario --workload CMD`), run during the scenario with `lab env`'s
 * settings: recorded when it starts and when it ends.
 */
export interface CommandEvent {
  kind: 'command';
  t: number;
  phase: 'start' | 'end';
  command: string;
  /** end: its exit code; null when a signal ended it. */
  exitCode?: number | null;
  signal?: string;
  durationMs?: number;
  /** end: the last lines it printed, stdout and stderr as they came. */
  tail?: string[];
  /** end: lab ended it, because the scenario was over (plus the grace period) or interrupted. */
  killed?: 'scenario-end' | 'interrupted';
}

/**
 * One micro-operation of a list-append transaction (Elle's list-append workload): append a value,
 * unique per key, to a key's list; or read a key's whole list (null: not read yet, on an invoke).
 */
export type MicroOp = ['append', number, number] | ['r', number, number[] | null];

/** The isolation level a transaction ran at, as PostgreSQL names it. */
export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

/**
 * A transaction of micro-operations through an entry path, as Jepsen records one: `invoke` (reads
 * null), then `ok` with what each read returned, `fail` (certainly rolled back) or `info` (unknown:
 * the connection died after COMMIT was sent). A process runs one transaction at a time, so its
 * completion is its next event; a process whose transaction ended `info` is not used again.
 */
export interface TxnEvent {
  kind: 'txn';
  t: number;
  process: number;
  path: string;
  phase: 'invoke' | 'ok' | 'fail' | 'info';
  ops: MicroOp[];
  isolation?: Isolation;
  error?: string;
  errorClass?: SqlErrorClass;
}

export type HistoryEvent =
  | SampleEvent
  | TxnEvent
  | WriteEvent
  | FaultEvent
  | HealEvent
  | StepEvent
  | FinalReadEvent
  | LogEvent
  | OpEvent
  | HaproxyEvent
  | CommandEvent;

/** The lab settings checks derive their bounds and expectations from. */
export interface HistoryMeta {
  scenario: string;
  lab: string;
  provider: string;
  /** Wall-clock time of t = 0. */
  startedAt: string;
  nodes: string[];
  timings: Timings;
  synchronousMode: boolean;
  samplePeriodMs: number;
}

/** The lab's Patroni timings in seconds, named as in lab.yaml (bound expressions spell them as Patroni does: bounds.ts). */
export type Timings = Pick<LabSpec['patroni'], 'ttl' | 'loopWait' | 'retryTimeout' | 'primaryStartTimeout'> &
  Pick<LabSpec['watchdog'], 'safetyMargin'>;

export interface History {
  meta: HistoryMeta;
  events: HistoryEvent[];
}

/** How often (in events recorded) a recorder with a retention forgets what is older. */
const TRIM_EVERY = 500;

/** Collects events as they happen and tells listeners (the live console, a HistoryFileWriter). */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private readonly origin: number;
  private readonly listeners: ((event: HistoryEvent) => void)[] = [];
  private recorded = 0;

  /**
   * `clock` is the run's one clock: the loops that record and the steps that wait use it too.
   * With `retainMs`, only the events of the last `retainMs` stay in `events` (what the writer and the
   * waits look at); a listener keeps the rest, on disk.
   */
  constructor(
    readonly meta: HistoryMeta,
    readonly clock: Clock,
    private readonly retainMs?: number,
  ) {
    this.origin = clock.now();
  }

  now(): number {
    return Math.round(this.clock.now() - this.origin);
  }

  /** Records an event stamped now; `t` is filled in. */
  record<E extends HistoryEvent>(event: Omit<E, 't'>): E {
    return this.recordAt({ ...event, t: this.now() } as E);
  }

  /** Records an event that happened at a known earlier time (a log line read after the run). */
  recordAt<E extends HistoryEvent>(event: E): E {
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    if (this.retainMs !== undefined && ++this.recorded % TRIM_EVERY === 0) this.forgetBefore(this.now() - this.retainMs);
    return event;
  }

  /** Drops the events older than `t` from memory (they arrive about in order: the first newer one stops it). */
  private forgetBefore(t: number): void {
    const keep = this.events.findIndex((e) => e.t >= t);
    this.events.splice(0, keep === -1 ? this.events.length : keep);
  }

  onEvent(listener: (event: HistoryEvent) => void): void {
    this.listeners.push(listener);
  }

  snapshot(): History {
    // Background loops record concurrently with awaited steps; a stable sort by t gives one order.
    return { meta: this.meta, events: [...this.events].sort((a, b) => a.t - b.t) };
  }
}

export function isSample(e: HistoryEvent): e is SampleEvent {
  return e.kind === 'sample';
}

export function isWrite(e: HistoryEvent): e is WriteEvent {
  return e.kind === 'write';
}
