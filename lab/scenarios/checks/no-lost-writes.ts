/**
 * no-lost-writes: every acknowledged write is on the final primary, and no write reported failed is.
 * Like Jepsen's set checker it sorts every invoked write by its outcome and whether its row is there:
 * acknowledged and present, acknowledged and lost, indeterminate that landed or not, failed and
 * absent, failed but present. Under asynchronous replication a failover may lose acknowledged writes
 * by design, so by default a loss fails only in synchronous mode and is otherwise counted;
 * `require: always` makes any loss fail (a planned switchover loses nothing). A write reported
 * failed that is present always fails: the failure was certain, so either it was misclassified or
 * the database said it failed when it did not.
 */
import { Type } from '@sinclair/typebox';
import type { FinalReadEvent, WriteOutcome } from '../history/history.js';
import { writeOutcomes } from '../history/after-run.js';
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

/** The kinds, each a figure (its count) and an evidence line (its sequence numbers). */
const KINDS = [
  { figure: 'acknowledgedPresent', label: 'acknowledged and present', outcome: 'ok', present: true },
  { figure: 'lost', label: 'acknowledged and lost', outcome: 'ok', present: false },
  { figure: 'indeterminateLanded', label: 'indeterminate, landed', outcome: 'indeterminate', present: true },
  { figure: 'indeterminateMissing', label: 'indeterminate, not landed', outcome: 'indeterminate', present: false },
  { figure: 'failedAbsent', label: 'failed and absent', outcome: 'fail', present: false },
  { figure: 'failedPresent', label: 'failed but present', outcome: 'fail', present: true },
] as const satisfies readonly { figure: string; label: string; outcome: WriteOutcome; present: boolean }[];

type Kind = (typeof KINDS)[number]['figure'];

export const noLostWrites: CheckDefinition<typeof Params> = {
  name: 'no-lost-writes',
  describe: 'every acknowledged write is on the final primary, and no write reported failed is; indeterminate writes are counted',
  params: Params,
  run(history, params) {
    const name = 'no-lost-writes';
    const final = history.events.find((e): e is FinalReadEvent => e.kind === 'final-read');
    const outcomes = writeOutcomes(history);
    const acknowledged = outcomes.filter((w) => w.outcome === 'ok').length;
    if (!final) {
      const unknown = Object.fromEntries(KINDS.map((k) => [k.figure, null]));
      return result(name, 'unknown', 'the final primary could not be read', [], { acknowledged, ...unknown });
    }
    const present = new Set(final.seqs);
    const seqs = Object.fromEntries(
      KINDS.map((k) => [
        k.figure,
        outcomes.filter((w) => w.outcome === k.outcome && present.has(w.seq) === k.present).map((w) => w.seq),
      ]),
    ) as Record<Kind, number[]>;
    const count = (kind: Kind) => seqs[kind].length;
    const figures = { acknowledged, ...Object.fromEntries(KINDS.map((k) => [k.figure, count(k.figure)])) };
    const evidence = [
      `${outcomes.length} writes invoked, ${final.seqs.length} rows on ${final.node} at the end`,
      ...KINDS.filter((k) => count(k.figure) > 0).map((k) => `${k.label}: ${count(k.figure)} (${ranges(seqs[k.figure])})`),
    ];

    const mustHold = params.require === 'always' || history.meta.synchronousMode;
    const why = history.meta.synchronousMode ? 'with synchronous_mode on' : 'asynchronous replication';
    const problems = [
      ...(count('failedPresent') > 0
        ? [`${count('failedPresent')} write(s) reported as certainly failed are on ${final.node}`]
        : []),
      ...(count('lost') > 0
        ? [
            `${count('lost')} of ${acknowledged} acknowledged writes are missing on ${final.node} (${why}${mustHold ? '' : ': allowed, counted'})`,
          ]
        : []),
    ];
    const failed = count('failedPresent') > 0 || (count('lost') > 0 && mustHold);
    const indeterminate = count('indeterminateLanded') + count('indeterminateMissing');
    const landed = indeterminate > 0 ? `; ${count('indeterminateLanded')} of ${indeterminate} indeterminate landed` : '';
    const summary =
      problems.length > 0 ? problems.join('; ') : `all ${acknowledged} acknowledged writes are on ${final.node}${landed}`;
    return result(name, failed ? 'fail' : 'pass', summary, evidence, figures);
  },
};
