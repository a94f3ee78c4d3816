/**
 * What an application saw on each entry path, from the History's `op` events: how long it could not
 * get an answer around the fault, how long its operations took before, during and after, which errors
 * it got, and where the seconds of its downtime went on the cluster's own timeline. Pure.
 */
import type { SqlErrorClass } from '../../cluster/sql.js';
import type { HaproxyEvent, History, OpEvent, WriteOutcome } from '../history/history.js';

/** One operation of a path, from invoke to outcome. */
export interface PathOp {
  path: string;
  op: OpEvent['op'];
  id: number;
  invokedAt: number;
  /** null: no outcome was recorded (the run ended first). */
  completedAt: number | null;
  outcome: WriteOutcome | null;
  errorClass?: SqlErrorClass;
  of?: string;
  seen?: number | null;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface PathFigures {
  path: string;
  ok: number;
  failed: number;
  indeterminate: number;
  errorClasses: Partial<Record<SqlErrorClass, number>>;
  /** Operations with no answer within the client's bound (their error is a timeout) or none at all. */
  hung: number;
  /** The longest stretch without an ok operation that ends after the first fault: last ok before -> first ok after. */
  downtimeMs: number | null;
  downtimeFrom: number | null;
  downtimeTo: number | null;
  /** Operation latency (invoke -> answer) before the fault, until this path's first ok after it, and after. */
  latency: { before: Percentiles | null; during: Percentiles | null; after: Percentiles | null };
  /** Where the downtime went, each in ms after the fault: the cluster's timeline beside this path's recovery. */
  breakdown: { leaderKeyExpiredMs: number | null; promotionMs: number | null; haproxyMarkedUpMs: number | null; firstOkMs: number | null } | null;
}

/** Each invoked operation with how it ended, in invoke order. */
export function pathOps(history: History): PathOp[] {
  const open = new Map<string, PathOp>();
  const out: PathOp[] = [];
  for (const e of history.events) {
    if (e.kind !== 'op') continue;
    const key = `${e.path}#${e.op}#${e.id}`;
    if (e.phase === 'invoke') {
      const op: PathOp = { path: e.path, op: e.op, id: e.id, invokedAt: e.t, completedAt: null, outcome: null, ...(e.of ? { of: e.of } : {}) };
      open.set(key, op);
      out.push(op);
      continue;
    }
    const op = open.get(key);
    if (!op) continue;
    Object.assign(op, { completedAt: e.t, outcome: e.phase, ...(e.errorClass ? { errorClass: e.errorClass } : {}), ...(e.seen !== undefined ? { seen: e.seen } : {}) });
    open.delete(key);
  }
  return out;
}

/** The write operations among `ops`, by path, in invoke order. */
export function writesByPath(ops: readonly PathOp[]): Map<string, PathOp[]> {
  const byPath = new Map<string, PathOp[]>();
  for (const o of ops) {
    if (o.op !== 'write') continue;
    const list = byPath.get(o.path);
    if (list) list.push(o);
    else byPath.set(o.path, [o]);
  }
  return byPath;
}

/** Nearest-rank percentiles; null for no values. */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}

/** The longest gap between consecutive ok answers that ends after `faultAt` (from the fault itself when nothing was ok before). */
function longestGap(okTimes: number[], faultAt: number): { ms: number; from: number; to: number } | null {
  const times = [...okTimes].sort((a, b) => a - b);
  if (!times.some((t) => t < faultAt)) times.unshift(faultAt);
  let best: { ms: number; from: number; to: number } | null = null;
  for (let i = 1; i < times.length; i++) {
    const [from, to] = [times[i - 1]!, times[i]!];
    if (to < faultAt) continue;
    if (!best || to - from > best.ms) best = { ms: to - from, from, to };
  }
  return best;
}

/** The cluster's timeline after the fault, as computeFigures found it (ms after the fault). */
export interface ClusterTimeline {
  faultAt: number | null;
  detectionMs: number | null;
  promotionMs: number | null;
  newLeader: string | null;
}

export function pathFigures(history: History, cluster: ClusterTimeline): PathFigures[] {
  const ops = pathOps(history);
  const paths = [...new Set(ops.map((o) => o.path))];
  const haproxy = history.events.filter((e): e is HaproxyEvent => e.kind === 'haproxy');
  const faultAt = cluster.faultAt;
  return paths.map((path) => {
    const mine = ops.filter((o) => o.path === path);
    // A read-write path's availability is its writes'; the read-only path's, its reads'.
    const counted = mine.some((o) => o.op === 'write') ? mine.filter((o) => o.op === 'write') : mine;
    const okTimes = counted.flatMap((o) => (o.outcome === 'ok' && o.completedAt !== null ? [o.completedAt] : []));
    const errorClasses: PathFigures['errorClasses'] = {};
    for (const o of mine) if (o.errorClass) errorClasses[o.errorClass] = (errorClasses[o.errorClass] ?? 0) + 1;
    const gap = faultAt === null ? null : longestGap(okTimes, faultAt);
    const latencyOf = (from: number, to: number) =>
      percentiles(mine.flatMap((o) => (o.completedAt !== null && o.invokedAt >= from && o.invokedAt < to ? [o.completedAt - o.invokedAt] : [])));
    const recovered = gap?.to ?? Infinity;
    const haproxyUp =
      faultAt !== null && cluster.newLeader ? haproxy.find((h) => h.t >= faultAt && h.readWrite.includes(cluster.newLeader!)) : undefined;
    return {
      path,
      ok: mine.filter((o) => o.outcome === 'ok').length,
      failed: mine.filter((o) => o.outcome === 'fail').length,
      indeterminate: mine.filter((o) => o.outcome === 'indeterminate').length,
      errorClasses,
      hung: mine.filter((o) => o.errorClass === 'timeout' || o.completedAt === null).length,
      downtimeMs: gap?.ms ?? null,
      downtimeFrom: gap?.from ?? null,
      downtimeTo: gap?.to ?? null,
      latency:
        faultAt === null
          ? { before: latencyOf(-Infinity, Infinity), during: null, after: null }
          : { before: latencyOf(-Infinity, faultAt), during: latencyOf(faultAt, recovered), after: latencyOf(recovered, Infinity) },
      breakdown:
        faultAt === null
          ? null
          : {
              leaderKeyExpiredMs: cluster.detectionMs,
              promotionMs: cluster.promotionMs,
              haproxyMarkedUpMs: haproxyUp ? haproxyUp.t - faultAt : null,
              firstOkMs: gap ? gap.to - faultAt : null,
            },
    };
  });
}
