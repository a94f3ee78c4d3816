/**
 * single-primary: never two nodes accepting writes at the same instant. Each node's known-writable
 * runs (first to last observation that it accepted writes) must not intersect another node's.
 */
import { Type } from '@sinclair/typebox';
import { samples, writableRuns, type WritableRun } from '../history/after-run.js';
import { formatSeconds } from '../../clock.js';
import { result, type CheckDefinition } from './types.js';

interface Overlap {
  a: WritableRun;
  b: WritableRun;
  from: number;
  to: number;
}

function overlaps(runs: WritableRun[]): Overlap[] {
  const found: Overlap[] = [];
  for (const [i, a] of runs.entries()) {
    for (const b of runs.slice(i + 1)) {
      if (a.node !== b.node && a.start <= b.end && b.start <= a.end) {
        found.push({ a, b, from: Math.max(a.start, b.start), to: Math.min(a.end, b.end) });
      }
    }
  }
  return found;
}

/** The tightest hand-over between different nodes: how much margin the cluster kept. */
function closestHandover(runs: WritableRun[]): { from: WritableRun; to: WritableRun; gap: number } | undefined {
  let best: { from: WritableRun; to: WritableRun; gap: number } | undefined;
  for (const next of runs) {
    for (const prev of runs) {
      if (prev.node === next.node || prev.end > next.start) continue;
      const gap = next.start - prev.end;
      if (!best || gap < best.gap) best = { from: prev, to: next, gap };
    }
  }
  return best;
}

export const singlePrimary: CheckDefinition = {
  name: 'single-primary',
  describe: 'never two nodes accepting writes at the same instant',
  params: Type.Object({}, { additionalProperties: false }),
  run(history) {
    const name = 'single-primary';
    if (samples(history).length === 0) return result(name, 'unknown', 'no samples were recorded');
    const runs = writableRuns(history);
    const found = overlaps(runs);
    const handover = closestHandover(runs);
    const margin = handover
      ? [
          `closest hand-over: ${handover.from.node} last seen writable at ${formatSeconds(handover.from.end)}, ${handover.to.node} first at ${formatSeconds(handover.to.start)} (gap ${formatSeconds(handover.gap)})`,
        ]
      : [];
    const figures = { overlapMs: found.reduce((sum, o) => sum + (o.to - o.from), 0), handoverGapMs: handover?.gap ?? null };
    if (found.length > 0) {
      return result(
        name,
        'fail',
        `two primaries: ${found[0]!.a.node} and ${found[0]!.b.node} both accepted writes from ${formatSeconds(found[0]!.from)} to ${formatSeconds(found[0]!.to)}`,
        found.map(
          (o) =>
            `${o.a.node} writable ${formatSeconds(o.a.start)}..${formatSeconds(o.a.end)} overlaps ${o.b.node} writable ${formatSeconds(o.b.start)}..${formatSeconds(o.b.end)}`,
        ),
        figures,
      );
    }
    const nodes = new Set(runs.map((r) => r.node));
    return result(
      name,
      'pass',
      `at most one node accepted writes at any observed instant (${nodes.size} node(s) led in turn)`,
      margin,
      figures,
    );
  },
};
