/**
 * What an application saw on each entry path, from the History's `op` events: each stretch it could
 * not get an answer, laid to the fault in force when it began (unavailability.ts, as lab chaos does),
 * how long its operations took before, during and after, which errors it got, and where the seconds
 * of its downtime went on the cluster's own timeline (breakdown.ts). Pure.
 */
import type { SqlErrorClass } from '../../cluster/sql.js';
import type { History, OpEvent, WriteOutcome } from '../history/history.js';
import { faultSpans, outages, type Outage } from './unavailability.js';
import { breakdown, type Breakdown } from './breakdown.js';

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
  error?: string;
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
  /**
   * The longest stretch without an ok operation laid to a fault (last ok before -> first ok after), from
   * writes on a read-write path (a read answered by a demoted primary is no availability) and reads on
   * a read-only one; null when the run ended before an ok did.
   */
  downtimeMs: number | null;
  downtimeFrom: number | null;
  downtimeTo: number | null;
  /** The fault that stretch is laid to, "dcs-outage on node2", and when it was injected. */
  downtimeCause: string | null;
  downtimeFaultAt: number | null;
  /** Every stretch longer than UNAVAILABLE_MS, and per fault the longest laid to it. */
  windows: Outage[];
  byFault: Outage[];
  /** Operation latency (invoke -> answer) before the fault, until this path's first ok after it, and after. */
  latency: { before: Percentiles | null; during: Percentiles | null; after: Percentiles | null };
  /** Where the downtime went: the cluster's timeline beside this path's recovery, after the downtime's fault. */
  breakdown: Breakdown | null;
}

/** Each invoked operation with how it ended, in invoke order. */
export function pathOps(history: History): PathOp[] {
  const open = new Map<string, PathOp>();
  const out: PathOp[] = [];
  for (const e of history.events) {
    if (e.kind !== 'op') continue;
    const key = `${e.path}#${e.op}#${e.id}`;
    if (e.phase === 'invoke') {
      const op: PathOp = {
        path: e.path,
        op: e.op,
        id: e.id,
        invokedAt: e.t,
        completedAt: null,
        outcome: null,
        ...(e.of ? { of: e.of } : {}),
      };
      open.set(key, op);
      out.push(op);
      continue;
    }
    const op = open.get(key);
    if (!op) continue;
    Object.assign(op, {
      completedAt: e.t,
      outcome: e.phase,
      ...(e.errorClass ? { errorClass: e.errorClass } : {}),
      ...(e.error ? { error: e.error } : {}),
      ...(e.seen !== undefined ? { seen: e.seen } : {}),
    });
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

export function pathFigures(history: History): PathFigures[] {
  const ops = pathOps(history);
  const paths = [...new Set(ops.map((o) => o.path))];
  const end = history.events.reduce((m, e) => Math.max(m, e.t), 0);
  const spans = faultSpans(history, end);
  return paths.map((path) => {
    const mine = ops.filter((o) => o.path === path);
    // A read-write path's availability is its writes'; the read-only path's, its reads'.
    const readWrite = mine.some((o) => o.op === 'write');
    const counted = readWrite ? mine.filter((o) => o.op === 'write') : mine;
    const okTimes = counted.flatMap((o) => (o.outcome === 'ok' && o.completedAt !== null ? [o.completedAt] : []));
    const lastAnswer = counted.reduce((m, o) => Math.max(m, o.completedAt ?? o.invokedAt), 0);
    const errorClasses: PathFigures['errorClasses'] = {};
    for (const o of mine) if (o.errorClass) errorClasses[o.errorClass] = (errorClasses[o.errorClass] ?? 0) + 1;
    const { windows, byFault, longest } = outages(okTimes, spans, lastAnswer);
    const down = longest?.recovered ? longest : null;
    const latencyOf = (from: number, to: number) =>
      percentiles(
        mine.flatMap((o) =>
          o.completedAt !== null && o.invokedAt >= from && o.invokedAt < to ? [o.completedAt - o.invokedAt] : [],
        ),
      );
    const faultAt = longest?.faultAt ?? spans[0]?.from ?? null;
    const recovered = longest?.recovered ? longest.to : Infinity;
    return {
      path,
      ok: mine.filter((o) => o.outcome === 'ok').length,
      failed: mine.filter((o) => o.outcome === 'fail').length,
      indeterminate: mine.filter((o) => o.outcome === 'indeterminate').length,
      errorClasses,
      hung: mine.filter(isHung).length,
      downtimeMs: down?.ms ?? null,
      downtimeFrom: down?.from ?? null,
      downtimeTo: down?.to ?? null,
      downtimeCause: longest?.cause ?? null,
      downtimeFaultAt: longest?.faultAt ?? null,
      windows,
      byFault,
      latency:
        faultAt === null
          ? { before: latencyOf(-Infinity, Infinity), during: null, after: null }
          : {
              before: latencyOf(-Infinity, faultAt),
              during: latencyOf(faultAt, recovered),
              after: latencyOf(recovered, Infinity),
            },
      breakdown: longest ? breakdown(history, longest, { behindHaproxy: readWrite && path !== 'libpq' }) : null,
    };
  });
}

/** An operation that got no answer within the client's bound (a timeout), or none at all. */
export const isHung = (o: PathOp): boolean => o.errorClass === 'timeout' || o.completedAt === null;
