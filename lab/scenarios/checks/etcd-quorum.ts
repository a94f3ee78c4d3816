/**
 * etcd-quorum: whether a majority of etcd members was healthy, as the scenario expects: `kept`
 * throughout, or `lost-and-restored` (lost after the first fault, held again at the end). A loss
 * shorter than `tolerate` is an etcd leader election (a member that led was killed), not a lost
 * quorum: it is shown in the evidence but does not count.
 */
import { Type } from '@sinclair/typebox';
import { BoundParam, evaluateBound } from '../bounds.js';
import type { History } from '../history/history.js';
import { endOf, firstFault, samples } from '../history/after-run.js';
import { formatSeconds } from '../../clock.js';
import { result, type CheckDefinition } from './types.js';

const Params = Type.Object(
  {
    expect: Type.Union([Type.Literal('kept'), Type.Literal('lost-and-restored')], {
      default: 'kept',
      description:
        "'kept': a majority healthy at every observed instant; 'lost-and-restored': lost after the fault, back by the end",
    }),
    tolerate: BoundParam('5s', 'Losses shorter than this (an etcd leader election) do not count'),
  },
  { additionalProperties: false },
);

interface Outage {
  from: number;
  /** null: not restored by the end of the run. */
  to: number | null;
}

/** Stretches without a healthy majority, from each member's latest health sample. */
function quorumOutages(history: History): { outages: Outage[]; observed: boolean } {
  const nodes = history.meta.nodes;
  const healthy = new Map<string, boolean>();
  const outages: Outage[] = [];
  let observed = false;
  for (const s of samples(history)) {
    healthy.set(s.node, s.etcd);
    if (healthy.size < nodes.length) continue; // not every member seen yet
    observed = true;
    const quorum = [...healthy.values()].filter(Boolean).length > nodes.length / 2;
    const open = outages[outages.length - 1];
    if (!quorum && (!open || open.to !== null)) outages.push({ from: s.t, to: null });
    if (quorum && open && open.to === null) open.to = s.t;
  }
  return { outages, observed };
}

export const etcdQuorum: CheckDefinition<typeof Params> = {
  name: 'etcd-quorum',
  describe: 'etcd quorum kept, or lost and restored, as the scenario expects',
  params: Params,
  run(history, params) {
    const name = 'etcd-quorum';
    const { outages, observed } = quorumOutages(history);
    if (!observed) return result(name, 'unknown', 'not every etcd member was sampled');
    const tolerate = evaluateBound(params.tolerate, history.meta.timings);
    const end = endOf(history);
    const length = (o: Outage) => (o.to ?? end) - o.from;
    const real = outages.filter((o) => o.to === null || length(o) >= tolerate);
    const evidence = outages.map(
      (o) =>
        `no healthy majority from ${formatSeconds(o.from)} ${o.to === null ? 'to the end' : `to ${formatSeconds(o.to)} (${formatSeconds(length(o))})`}${real.includes(o) ? '' : `: shorter than ${params.tolerate}, an election`}`,
    );
    const lost = real[0];
    const figures = { lostAt: lost?.from ?? null, lostForMs: lost ? length(lost) : null };
    if (params.expect === 'kept') {
      return lost
        ? result(
            name,
            'fail',
            `quorum was lost at ${formatSeconds(lost.from)} for ${formatSeconds(length(lost))}`,
            evidence,
            figures,
          )
        : result(name, 'pass', 'a majority of etcd members stayed healthy throughout', evidence, figures);
    }
    const fault = firstFault(history);
    if (!lost || (fault && lost.from < fault.t))
      return result(name, 'fail', 'quorum was never lost after the fault', evidence, figures);
    if (real[real.length - 1]!.to === null)
      return result(name, 'fail', `quorum lost at ${formatSeconds(lost.from)} and not restored by the end`, evidence, figures);
    return result(
      name,
      'pass',
      `quorum lost at ${formatSeconds(lost.from)}, restored after ${formatSeconds(length(lost))}`,
      evidence,
      figures,
    );
  },
};
