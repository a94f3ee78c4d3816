/**
 * replica-staleness: how far behind the last acknowledged write a read on the read-only path was.
 * The reader client reads the highest row of a read-write path's writer through HAProxy's read-only
 * port (workload.ts). A read that missed acknowledged writes is stale by the age of the oldest of them
 * when the read was sent: the replica had that long to apply it and had not (a write lost by an
 * asynchronous failover looks the same until a later row reaches the replica). Reported always;
 * it fails only where the scenario sets `max`.
 */
import { Type } from '@sinclair/typebox';
import { formatSeconds } from '../../clock.js';
import { evaluateBound } from '../bounds.js';
import type { History } from '../history/history.js';
import { pathOps, percentiles, writesByPath } from './path-figures.js';
import { result, type CheckDefinition } from './types.js';

const Params = Type.Object(
  {
    max: Type.Optional(
      Type.String({
        bound: true,
        description: "Bound on a read-only read's staleness, e.g. `loop_wait` or `500ms`; without it staleness is only reported",
      }),
    ),
  },
  { additionalProperties: false },
);

/** One answered read on a read-only path. */
export interface StaleRead {
  path: string;
  invokedAt: number;
  /** Acknowledged writes of the path it reads that it did not see. */
  writesBehind: number;
  /** 0 when it saw every acknowledged write; else how long the oldest one it missed had been acknowledged. */
  staleMs: number;
}

/** Each answered read of another path's rows (the read-only reader's), measured against that path's acknowledged writes. Pure. */
export function staleReads(history: History): StaleRead[] {
  const ops = pathOps(history);
  const acknowledged = writesByPath(ops.filter((w) => w.outcome === 'ok' && w.completedAt !== null));
  return ops
    .filter((o) => o.op === 'read' && o.of !== undefined && o.of !== o.path && o.outcome === 'ok')
    .map((read) => {
      const seen = read.seen ?? 0;
      const missed = (acknowledged.get(read.of!) ?? []).filter((w) => w.completedAt! <= read.invokedAt && w.id > seen);
      const oldest = Math.min(...missed.map((w) => w.completedAt!));
      return {
        path: read.path,
        invokedAt: read.invokedAt,
        writesBehind: missed.length,
        staleMs: missed.length === 0 ? 0 : read.invokedAt - oldest,
      };
    });
}

export const replicaStaleness: CheckDefinition<typeof Params> = {
  name: 'replica-staleness',
  describe:
    'how far behind the last acknowledged write reads on the read-only path were; fails only above `max:` (runs by itself when a reader ran)',
  params: Params,
  implicitWhen: (history) =>
    history.events.some((e) => e.kind === 'op' && e.op === 'read' && e.of !== undefined && e.of !== e.path),
  run(history, params) {
    const name = 'replica-staleness';
    const reads = staleReads(history);
    const bound = params.max === undefined ? null : evaluateBound(params.max, history.meta.timings);
    if (reads.length === 0) {
      return result(
        name,
        'unknown',
        'no read on a read-only entry path was answered (does lab.yaml have entry.haproxy, and the scenario a reader?)',
        [],
        { reads: 0, staleReads: null, maxStaleMs: null, boundMs: bound },
      );
    }
    const stale = reads.filter((r) => r.staleMs > 0);
    const p = percentiles(reads.map((r) => r.staleMs))!;
    const worst = reads.reduce((a, b) => (b.staleMs > a.staleMs ? b : a));
    const figures = {
      reads: reads.length,
      staleReads: stale.length,
      maxStaleMs: worst.staleMs,
      p50StaleMs: p.p50,
      p95StaleMs: p.p95,
      p99StaleMs: p.p99,
      maxWritesBehind: Math.max(...reads.map((r) => r.writesBehind)),
      boundMs: bound,
    };
    const evidence = [
      `${reads.length} reads answered on ${[...new Set(reads.map((r) => r.path))].join(', ')}, ${stale.length} behind the last acknowledged write`,
      `staleness p50/p95/p99 ${p.p50}/${p.p95}/${p.p99} ms; worst ${formatSeconds(worst.staleMs)} (${worst.writesBehind} writes behind) at ${formatSeconds(worst.invokedAt)}`,
      bound === null ? 'no bound set (max:): reported only' : `bound: ${params.max} = ${formatSeconds(bound)}`,
    ];
    const summary = `worst read ${formatSeconds(worst.staleMs)} behind the last acknowledged write (${stale.length} of ${reads.length} reads stale)`;
    if (bound !== null && worst.staleMs > bound)
      return result(name, 'fail', `${summary}, above the bound ${formatSeconds(bound)}`, evidence, figures);
    return result(name, 'pass', bound === null ? summary : `${summary}, within ${formatSeconds(bound)}`, evidence, figures);
  },
};
