/**
 * etcd-quorum: whether a majority of etcd members was healthy, as the scenario expects: `kept`
 * throughout, or `lost-and-restored` (lost after the first fault, held again at the end).
 */
import { Type } from '@sinclair/typebox';
import type { History } from '../history.js';
import { firstFault, samples, seconds } from '../observe.js';
import { result, type CheckDefinition } from './types.js';

const Params = Type.Object(
  {
    expect: Type.Union([Type.Literal('kept'), Type.Literal('lost-and-restored')], {
      default: 'kept',
      description: "'kept': a majority healthy at every observed instant; 'lost-and-restored': lost after the fault, back by the end",
    }),
  },
  { additionalProperties: false },
);

/** Times at which quorum was lost and regained, from each member's latest health sample. */
function quorumChanges(history: History): { t: number; quorum: boolean }[] {
  const nodes = history.meta.nodes;
  const healthy = new Map<string, boolean>();
  const changes: { t: number; quorum: boolean }[] = [];
  for (const s of samples(history)) {
    healthy.set(s.node, s.etcd);
    if (healthy.size < nodes.length) continue; // not every member seen yet
    const quorum = [...healthy.values()].filter(Boolean).length > nodes.length / 2;
    if (changes.length === 0 || changes[changes.length - 1]!.quorum !== quorum) changes.push({ t: s.t, quorum });
  }
  return changes;
}

export const etcdQuorum: CheckDefinition<typeof Params> = {
  name: 'etcd-quorum',
  describe: 'etcd quorum kept, or lost and restored, as the scenario expects',
  params: Params,
  run(history, params) {
    const name = 'etcd-quorum';
    const changes = quorumChanges(history);
    if (changes.length === 0) return result(name, 'unknown', 'not every etcd member was sampled');
    const lost = changes.find((c) => !c.quorum);
    const regained = lost && changes.find((c) => c.quorum && c.t > lost.t);
    const atEnd = changes[changes.length - 1]!.quorum;
    const figures = { lostAt: lost?.t ?? null, lostForMs: lost && regained ? regained.t - lost.t : null };
    const evidence = changes.map((c) => `${seconds(c.t)}: quorum ${c.quorum ? 'held' : 'lost'}`);
    if (params.expect === 'kept') {
      return lost
        ? result(name, 'fail', `quorum was lost at ${seconds(lost.t)}`, evidence, figures)
        : result(name, 'pass', 'a majority of etcd members stayed healthy throughout', evidence, figures);
    }
    const fault = firstFault(history);
    if (!lost || (fault && lost.t < fault.t)) return result(name, 'fail', 'quorum was never lost after the fault', evidence, figures);
    if (!atEnd) return result(name, 'fail', `quorum lost at ${seconds(lost.t)} and not restored by the end`, evidence, figures);
    return result(name, 'pass', `quorum lost at ${seconds(lost.t)}, restored after ${seconds(figures.lostForMs)}`, evidence, figures);
  },
};
