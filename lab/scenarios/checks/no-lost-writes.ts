/**
 * no-lost-writes: every acknowledged write is on the final primary. Under asynchronous replication a
 * failover may lose acknowledged writes by design, so by default a loss fails only in synchronous mode
 * and is otherwise counted; `require: always` makes any loss fail (a planned switchover loses nothing).
 */
import { Type } from '@sinclair/typebox';
import type { FinalReadEvent } from '../history.js';
import { writes } from '../observe.js';
import { result, type CheckDefinition } from './types.js';

const Params = Type.Object(
  {
    require: Type.Union([Type.Literal('synchronous'), Type.Literal('always')], {
      default: 'synchronous',
      description: "'synchronous': a loss fails only when the lab runs synchronous_mode; 'always': any loss fails",
    }),
  },
  { additionalProperties: false },
);

/** Compact "1-4, 9" form so evidence stays readable with thousands of writes. */
export function ranges(seqs: number[]): string {
  const sorted = [...seqs].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export const noLostWrites: CheckDefinition<typeof Params> = {
  name: 'no-lost-writes',
  describe: 'every acknowledged write is on the final primary',
  params: Params,
  run(history, params) {
    const name = 'no-lost-writes';
    const final = history.events.find((e): e is FinalReadEvent => e.kind === 'final-read');
    const acked = writes(history).filter((w) => w.phase === 'ok');
    const failed = writes(history).filter((w) => w.phase === 'fail');
    if (!final) return result(name, 'unknown', 'the final primary could not be read', [], { acknowledged: acked.length, lost: null });
    const present = new Set(final.seqs);
    const lost = acked.filter((w) => !present.has(w.seq)).map((w) => w.seq);
    // A failed write may still have committed (the ack was lost); seeing it is not an error, just worth knowing.
    const failedButPresent = failed.filter((w) => present.has(w.seq)).length;
    const figures = { acknowledged: acked.length, lost: lost.length, failedButPresent };
    const evidence = [
      `${acked.length} writes acknowledged, ${final.seqs.length} rows on ${final.node} at the end`,
      ...(failedButPresent > 0 ? [`${failedButPresent} write(s) reported as failed are present (committed, acknowledgement lost)`] : []),
      ...(lost.length > 0 ? [`missing: ${ranges(lost)}`] : []),
    ];
    if (lost.length === 0) return result(name, 'pass', `all ${acked.length} acknowledged writes are on ${final.node}`, evidence, figures);
    const mustHold = params.require === 'always' || history.meta.synchronousMode;
    const why = history.meta.synchronousMode ? 'with synchronous_mode on' : 'asynchronous replication';
    return result(
      name,
      mustHold ? 'fail' : 'pass',
      `${lost.length} of ${acked.length} acknowledged writes are missing on ${final.node} (${why}${mustHold ? '' : ': allowed, counted'})`,
      evidence,
      figures,
    );
  },
};
