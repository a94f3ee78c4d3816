/**
 * Hand-made Histories for check tests: describe who is what over time in a few lines
 * (`roles(0, 10_000, {node1: 'primary', ...})`) instead of hundreds of literal events.
 */
import type { PgState } from '../../lab/cluster/probe.js';
import type { SqlErrorClass } from '../../lab/cluster/sql.js';
import { recognizeFindings } from '../../lab/scenarios/checks/findings.js';
import { computeFigures } from '../../lab/scenarios/checks/figures.js';
import { runChecks, verdict, type CheckSpec } from '../../lab/scenarios/checks/index.js';
import type { RunResult } from '../../lab/scenarios/engine.js';
import type {
  History,
  HistoryEvent,
  Isolation,
  MicroOp,
  SampleEvent,
  StepEvent,
  Timings,
  TxnEvent,
  WriteOutcome,
} from '../../lab/scenarios/history/history.js';

export const TIMINGS: Timings = { ttl: 30, loopWait: 10, retryTimeout: 10, primaryStartTimeout: 300, safetyMargin: 5 };

type Shape = 'primary' | 'replica' | 'down' | 'frozen-primary' | 'demoted' | 'stuck-replica';

const SHAPES: Record<Shape, Omit<SampleEvent, 'kind' | 't' | 'node' | 'timeline' | 'leader' | 'etcd'>> = {
  primary: { reachable: true, role: 'primary', state: 'running', lag: null, pg: 'primary' },
  replica: { reachable: true, role: 'replica', state: 'running', lag: 0, pg: 'replica' },
  down: { reachable: false, role: null, state: null, lag: null, pg: 'down' },
  // Patroni frozen (REST silent) while its PostgreSQL still serves as primary.
  'frozen-primary': { reachable: false, role: null, state: null, lag: null, pg: 'primary' as PgState },
  demoted: { reachable: true, role: 'replica', state: 'running', lag: null, pg: 'replica' },
  // What Patroni 3.0 reports for a replica whose WAL receiver is stuck: `running`, like any other.
  'stuck-replica': { reachable: true, role: 'replica', state: 'running', lag: null, pg: 'replica' },
};

export class HistoryBuilder {
  private readonly events: HistoryEvent[] = [];
  private seq = 0;

  constructor(
    readonly nodes = ['node1', 'node2', 'node3'],
    private readonly options: { synchronousMode?: boolean; timings?: Partial<Timings> } = {},
  ) {}

  /** Samples every 250 ms in [from, to) with each node's shape, timeline and seen leader. */
  roles(
    from: number,
    to: number,
    shapes: Record<string, Shape>,
    extra: {
      timeline?: number;
      timelines?: Record<string, number>;
      leader?: string | null;
      etcd?: Record<string, boolean>;
      syncStandbys?: string[];
      /** Patroni's pending_restart per node (absent: not reported). */
      pendingRestart?: Record<string, boolean>;
    } = {},
  ): this {
    for (let t = from; t < to; t += 250) {
      for (const node of this.nodes) {
        const shape = shapes[node] ?? 'replica';
        this.events.push({
          kind: 'sample',
          t,
          node,
          timeline: shape === 'down' || shape === 'frozen-primary' ? null : (extra.timelines?.[node] ?? extra.timeline ?? 1),
          ...SHAPES[shape],
          ...(SHAPES[shape].reachable
            ? {
                leader: extra.leader === undefined ? this.leaderOf(shapes) : extra.leader,
                ...(extra.syncStandbys ? { syncStandbys: extra.syncStandbys } : {}),
                ...(extra.pendingRestart?.[node] !== undefined ? { pendingRestart: extra.pendingRestart[node] } : {}),
              }
            : {}),
          ...(SHAPES[shape].pg === 'primary'
            ? { streaming: this.nodes.filter((n) => (shapes[n] ?? 'replica') === 'replica') }
            : {}),
          etcd: extra.etcd?.[node] ?? shape !== 'down',
        });
      }
    }
    return this;
  }

  /** One write every `every` ms in [from, to), through `node`, with the given outcome (an error class for those not acknowledged). */
  writes(
    from: number,
    to: number,
    node: string,
    phase: WriteOutcome,
    every = 100,
    errorClass: SqlErrorClass = phase === 'fail' ? 'refused' : 'terminated',
  ): this {
    for (let t = from; t < to; t += every) {
      const seq = ++this.seq;
      const error = phase === 'ok' ? {} : { error: `a ${errorClass} error`, errorClass };
      this.events.push({ kind: 'write', t, seq, phase: 'invoke', node }, { kind: 'write', t: t + 5, seq, phase, node, ...error });
    }
    return this;
  }

  /** One operation through an entry path, invoked at `t` and answered `ms` later (a read says what it saw of `of`). */
  op(
    path: string,
    op: 'write' | 'read',
    id: number,
    t: number,
    ms: number,
    phase: WriteOutcome,
    read: { of?: string; seen?: number | null } = {},
  ): this {
    const of = read.of ? { of: read.of } : {};
    const error = phase === 'ok' ? {} : { error: 'connection refused', errorClass: 'refused' as const };
    this.events.push(
      { kind: 'op', t, path, op, id, phase: 'invoke', ...of },
      {
        kind: 'op',
        t: t + ms,
        path,
        op,
        id,
        phase,
        ...of,
        ...error,
        ...(phase === 'ok' && read.seen !== undefined ? { seen: read.seen } : {}),
      },
    );
    return this;
  }

  /**
   * One list-append transaction of `process` through `path`, invoked at `t` and completed `ms` later
   * with `phase`; `ops` as completed (the invoke records its reads as nil).
   */
  txn(
    process: number,
    t: number,
    ms: number,
    phase: Exclude<TxnEvent['phase'], 'invoke'>,
    ops: MicroOp[],
    extra: { path?: string; isolation?: Isolation } = {},
  ): this {
    const common = {
      kind: 'txn' as const,
      process,
      path: extra.path ?? 'haproxy-rw',
      ...(extra.isolation ? { isolation: extra.isolation } : {}),
    };
    const asked = ops.map((op): MicroOp => (op[0] === 'r' ? ['r', op[1], null] : op));
    this.events.push(
      { ...common, t, phase: 'invoke', ops: asked },
      { ...common, t: t + ms, phase, ops: phase === 'ok' ? ops : asked },
    );
    return this;
  }

  fault(t: number, fault: string, node: string): this {
    this.events.push({ kind: 'fault', t, fault, node });
    return this;
  }

  heal(t: number, fault: string, node: string): this {
    this.events.push({ kind: 'heal', t, fault, node, ok: true });
    return this;
  }

  step(t: number, index: number, step: string, status: StepEvent['status'], detail?: string): this {
    this.events.push({ kind: 'step', t, index, step, status, ...(detail ? { detail } : {}) });
    return this;
  }

  /** The final read finds every acknowledged write except `missing`, and the unacknowledged ones in `landed`. */
  finalRead(t: number, node: string, { missing = [], landed = [] }: { missing?: number[]; landed?: number[] } = {}): this {
    const acked = this.events.flatMap((e) => (e.kind === 'write' && e.phase === 'ok' && !missing.includes(e.seq) ? [e.seq] : []));
    this.events.push({ kind: 'final-read', t, node, seqs: [...acked, ...landed].sort((a, b) => a - b) });
    return this;
  }

  build(): History {
    return {
      meta: {
        scenario: 'test',
        lab: 'test',
        provider: 'docker',
        startedAt: '2026-01-01T00:00:00.000Z',
        nodes: this.nodes,
        timings: { ...TIMINGS, ...this.options.timings },
        synchronousMode: this.options.synchronousMode ?? false,
        samplePeriodMs: 250,
      },
      events: [...this.events].sort((a, b) => a.t - b.t),
    };
  }

  private leaderOf(shapes: Record<string, Shape>): string | null {
    return Object.entries(shapes).find(([, s]) => s === 'primary' || s === 'frozen-primary')?.[0] ?? null;
  }
}

/**
 * The textbook failover with Patroni's defaults: node1 leads; its node crashes at 10 s, under the
 * write then in flight (seq 101, indeterminate); writes to node1 fail from then on; the leader key
 * expires at 30 s and node2 is promoted at 31 s (timeline 2); node1 is started 9 s later and streams
 * 5 s after that; the run ends 20 s after the heal.
 */
export function failoverHistory(
  tweak: {
    promoteAt?: number;
    oldStaysPrimaryUntil?: number;
    rejoinTimeline?: number;
    newTimeline?: number;
    missing?: number[];
    landed?: number[];
    rejoinStuck?: boolean;
  } = {},
): HistoryBuilder {
  const promoteAt = tweak.promoteAt ?? 31_000;
  const [healAt, rejoinAt, end] = [promoteAt + 9_000, promoteAt + 14_000, promoteAt + 29_000];
  const timeline = tweak.newTimeline ?? 2;
  const stays = tweak.oldStaysPrimaryUntil ?? 10_000;
  return new HistoryBuilder()
    .roles(0, 10_000, { node1: 'primary', node2: 'replica', node3: 'replica' })
    .writes(0, 10_000, 'node1', 'ok')
    .fault(10_000, 'crash-node', 'node1')
    .roles(10_000, stays, { node1: 'primary', node2: 'replica', node3: 'replica' })
    .roles(stays, 30_000, { node1: 'down', node2: 'replica', node3: 'replica' }, { leader: 'node1' })
    .roles(30_000, promoteAt, { node1: 'down', node2: 'replica', node3: 'replica' }, { leader: null })
    .writes(10_000, 10_001, 'node1', 'indeterminate')
    .writes(11_000, promoteAt, 'node1', 'fail', 1000)
    .roles(
      promoteAt,
      healAt,
      { node1: stays > promoteAt ? 'primary' : 'down', node2: 'primary', node3: 'replica' },
      { timeline, leader: 'node2' },
    )
    .heal(healAt, 'crash-node', 'node1')
    .roles(healAt, rejoinAt, { node1: 'down', node2: 'primary', node3: 'replica' }, { timeline, leader: 'node2' })
    .roles(
      rejoinAt,
      end,
      { node1: tweak.rejoinStuck ? 'stuck-replica' : 'replica', node2: 'primary', node3: 'replica' },
      { timeline, timelines: { node1: tweak.rejoinTimeline ?? timeline }, leader: 'node2' },
    )
    .writes(promoteAt, end, 'node2', 'ok')
    .finalRead(end + 500, 'node2', { missing: tweak.missing, landed: tweak.landed });
}

/** What the engine returns for a run that recorded `history`, judged by `checks`: 61 s, the lab healthy afterwards. */
export function resultOf(history: History, checks: readonly CheckSpec[]): RunResult {
  const judged = runChecks(history, checks);
  return {
    history,
    checks: judged,
    verdict: verdict(judged),
    figures: computeFigures(history),
    lab: { healthy: true, problems: [] },
    interrupted: false,
    wallMs: 61_000,
    findings: recognizeFindings(history),
  };
}
