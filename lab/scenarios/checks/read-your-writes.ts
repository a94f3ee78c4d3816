/**
 * read-your-writes: on each read-write entry path, a read that follows an acknowledged write through
 * the same path returns it. Each writer client inserts row n, then reads the highest row of its own
 * back through the same path (workload.ts). A read that saw less than the last write acknowledged
 * before it was sent was answered by a node without that write: an old primary HAProxy still routes
 * to, a standby libpq took for a primary, a pooled session on another server. Reads that failed or
 * are indeterminate judge nothing; they are counted.
 */
import { Type } from '@sinclair/typebox';
import { formatSeconds } from '../../clock.js';
import type { History } from '../history/history.js';
import { pathOps, writesByPath, type PathOp } from './path-figures.js';
import { result, type CheckDefinition } from './types.js';

/** One read of a path's own rows, beside the last write of that path acknowledged before it was sent. */
export interface ReadBack {
  path: string;
  invokedAt: number;
  /** The highest row the read returned; null: none. */
  seen: number | null;
  /** The last acknowledged write's row; null when none was acknowledged yet. */
  expected: number | null;
}

/** The highest id among `writes` acknowledged at or before `t`; null for none. Pure. */
export function lastAcknowledged(writes: readonly PathOp[], t: number): { id: number; at: number } | null {
  let last: { id: number; at: number } | null = null;
  for (const w of writes) {
    if (w.outcome !== 'ok' || w.completedAt === null || w.completedAt > t) continue;
    if (!last || w.id > last.id) last = { id: w.id, at: w.completedAt };
  }
  return last;
}

/** Every answered read of a read-write path's own rows (a writer's read-back), with what it had to return. Pure. */
export function readBacks(history: History): { judged: ReadBack[]; unanswered: Record<string, number> } {
  const ops = pathOps(history);
  const judged: ReadBack[] = [];
  const unanswered: Record<string, number> = {};
  const writes = writesByPath(ops);
  for (const read of ops.filter((o) => o.op === 'read' && o.of === o.path)) {
    if (read.outcome !== 'ok') {
      unanswered[read.path] = (unanswered[read.path] ?? 0) + 1;
      continue;
    }
    judged.push({
      path: read.path,
      invokedAt: read.invokedAt,
      seen: read.seen ?? null,
      expected: lastAcknowledged(writes.get(read.path) ?? [], read.invokedAt)?.id ?? null,
    });
  }
  return { judged, unanswered };
}

const missed = (r: ReadBack): boolean => r.expected !== null && (r.seen === null || r.seen < r.expected);

export const readYourWrites: CheckDefinition = {
  name: 'read-your-writes',
  describe:
    'on each read-write entry path, a read after an acknowledged write returns it (runs by itself when entry-point clients ran)',
  params: Type.Object({}, { additionalProperties: false }),
  implicitWhen: (history) => history.events.some((e) => e.kind === 'op' && e.op === 'read' && e.of === e.path),
  run(history) {
    const name = 'read-your-writes';
    const { judged, unanswered } = readBacks(history);
    const paths = [...new Set([...judged.map((r) => r.path), ...Object.keys(unanswered)])];
    const stale = judged.filter(missed);
    const figures = {
      reads: judged.length,
      missed: stale.length,
      unanswered: Object.values(unanswered).reduce((a, b) => a + b, 0),
    };
    if (paths.length === 0)
      return result(name, 'unknown', 'no writer read back through an entry path (does lab.yaml have an entry: section?)', [], {
        reads: null,
        missed: null,
        unanswered: null,
      });
    const evidence = paths.map((p) => {
      const mine = judged.filter((r) => r.path === p);
      return `${p}: ${mine.length} read-backs answered, ${mine.filter(missed).length} missed a write, ${unanswered[p] ?? 0} not answered`;
    });
    // The first few misses say which write and when; the counts above say how many.
    evidence.push(
      ...stale
        .slice(0, 5)
        .map(
          (r) =>
            `${r.path} at ${formatSeconds(r.invokedAt)}: read row ${r.seen ?? 'none'}, row ${r.expected} was acknowledged before`,
        ),
    );
    if (stale.length > 0)
      return result(
        name,
        'fail',
        `${stale.length} of ${judged.length} read-backs did not return the write acknowledged before them (${[...new Set(stale.map((r) => r.path))].join(', ')})`,
        evidence,
        figures,
      );
    return result(
      name,
      'pass',
      `all ${judged.length} read-backs on ${paths.join(', ')} returned the last acknowledged write`,
      evidence,
      figures,
    );
  },
};
