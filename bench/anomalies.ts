/**
 * The anomalies part of `npm run bench`: a generated History of list-append transactions, executed
 * one after another so it has no anomaly, checked against strict serializability (the biggest graph:
 * every data edge and real-time order); the time the check takes and the heap it holds. The
 * generator is also the property test's (test/bench/anomalies.test.ts): serial executions of plans.
 */
import type { History, HistoryEvent, MicroOp } from '../lab/scenarios/history/history.js';
import { anomalies } from '../lab/scenarios/checks/anomalies.js';

/** What a transaction asks: append the key's next value, or read the key. */
export type PlannedOp = { append: number } | { read: number };

export interface TxnPlan {
  process: number;
  ops: PlannedOp[];
}

/**
 * The History of `plans` run one after another against lists that start empty: each append adds
 * the key's next integer, each read returns the list so far. Each transaction takes 1 ms, 1 ms apart.
 */
export function serialHistory(plans: readonly TxnPlan[]): History {
  const lists = new Map<number, number[]>();
  const events: HistoryEvent[] = [];
  plans.forEach((plan, i) => {
    const done: MicroOp[] = plan.ops.map((op) => {
      const key = 'append' in op ? op.append : op.read;
      let list = lists.get(key);
      if (!list) lists.set(key, (list = []));
      if ('read' in op) return ['r', key, [...list]];
      list.push(list.length + 1);
      return ['append', key, list.length];
    });
    const asked = done.map((op): MicroOp => (op[0] === 'r' ? ['r', op[1], null] : op));
    const common = { kind: 'txn', process: plan.process, path: 'haproxy-rw' } as const;
    events.push({ ...common, t: 2 * i, phase: 'invoke', ops: asked }, { ...common, t: 2 * i + 1, phase: 'ok', ops: done });
  });
  return {
    meta: {
      scenario: 'bench-anomalies',
      lab: 'bench',
      provider: 'none',
      startedAt: new Date(0).toISOString(),
      nodes: [],
      timings: { ttl: 30, loopWait: 10, retryTimeout: 10, primaryStartTimeout: 300, safetyMargin: 5 },
      synchronousMode: false,
      samplePeriodMs: 250,
    },
    events,
  };
}

/** A seeded PRNG (mulberry32): the same plans every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` transactions of 1 to 4 micro-operations from 10 processes over a sliding window of 32 keys:
 * a key takes at most APPENDS_PER_KEY appends, then the next key takes its place, so lists stay short
 * as Jepsen's workload keeps them.
 */
export function plannedTransactions(count: number, seed = 1): TxnPlan[] {
  const APPENDS_PER_KEY = 16;
  const WINDOW = 32;
  const next = random(seed);
  const appended = new Map<number, number>();
  let base = 0;
  return Array.from({ length: count }, () => {
    const ops = Array.from({ length: 1 + Math.floor(next() * 4) }, (): PlannedOp => {
      const key = base + Math.floor(next() * WINDOW);
      if (next() < 0.5) return { read: key };
      const n = (appended.get(key) ?? 0) + 1;
      appended.set(key, n);
      if (n >= APPENDS_PER_KEY && key === base) base++;
      return n > APPENDS_PER_KEY ? { read: key } : { append: key };
    });
    return { process: Math.floor(next() * 10), ops };
  });
}

export interface AnomaliesBench {
  transactions: number;
  seconds: number;
  /** Heap in use after the History was built, and its growth while the check ran (with what it keeps). */
  historyHeapMib: number;
  checkHeapMib: number;
  status: string;
  summary: string;
}

const mib = (bytes: number) => bytes / 1024 / 1024;

export function benchAnomalies(count = 100_000): AnomaliesBench {
  const before = process.memoryUsage().heapUsed;
  const history = serialHistory(plannedTransactions(count));
  const built = process.memoryUsage().heapUsed;
  const start = performance.now();
  const result = anomalies.run(history, { model: 'strict-serializable' });
  const seconds = (performance.now() - start) / 1000;
  return {
    transactions: count,
    seconds,
    historyHeapMib: mib(built - before),
    checkHeapMib: mib(process.memoryUsage().heapUsed - built),
    status: result.status,
    summary: result.summary,
  };
}
