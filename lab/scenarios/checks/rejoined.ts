/**
 * rejoined: the old leader comes back as a replica streaming from the final leader on its timeline
 * (listed by the leader's pg_stat_replication), within a bound counted from the last heal aimed at it
 * (or from the fault when nothing had to be healed).
 */
import { Type } from '@sinclair/typebox';
import { BoundParam, evaluateBound } from '../bounds.js';
import type { HealEvent, SampleEvent } from '../history/history.js';
import { formatSeconds } from '../../clock.js';
import { streamsFrom } from '../../cluster/probe.js';
import { endOf, finalLeader, firstFault, leaderBefore, samples } from '../history/after-run.js';
import { result, type CheckDefinition } from './types.js';

const Params = Type.Object(
  { within: BoundParam('60s', 'Bound on heal (or fault) -> old leader streaming on the new timeline') },
  { additionalProperties: false },
);

export const rejoined: CheckDefinition<typeof Params> = {
  name: 'rejoined',
  describe: 'the old leader is back as a streaming replica on the new timeline within a bound',
  params: Params,
  timeFigure: 'rejoinMs',
  run(history, params) {
    const name = 'rejoined';
    const fault = firstFault(history);
    const old = fault && leaderBefore(history, fault.t);
    const final = finalLeader(history);
    if (!fault || !old) return result(name, 'unknown', 'no fault, or no leader observed before it');
    if (!final || final.timeline === null)
      return result(name, 'unknown', 'no single leader (with its timeline) at the end of the run');
    if (final.node === old.node) return result(name, 'fail', `${old.node} is still the leader: it never stepped down`);
    const heals = history.events.filter((e): e is HealEvent => e.kind === 'heal' && e.node === old.node && e.t >= fault.t);
    const from = heals.length > 0 ? heals[heals.length - 1]!.t : fault.t;
    const bound = evaluateBound(params.within, history.meta.timings);
    // The first instant, after `from`, at which the final leader's latest sample lists the old leader streaming from it.
    const latest = new Map<string, SampleEvent>();
    const back = samples(history).find((s) => {
      latest.set(s.node, s);
      const [replica, leader] = [latest.get(old.node), latest.get(final.node)];
      return s.t >= from && replica !== undefined && leader !== undefined && streamsFrom(replica, leader);
    });
    const figures = { rejoinMs: back ? back.t - from : null, boundMs: bound };
    const evidence = [
      `counted from ${heals.length > 0 ? 'the last heal of' : 'the fault on'} ${old.node} at ${formatSeconds(from)}; final leader ${final.node} on timeline ${final.timeline}`,
    ];
    if (!back) {
      const last = samples(history)
        .filter((s) => s.node === old.node)
        .pop();
      if (last)
        evidence.push(
          `last seen: role ${last.role ?? 'unreachable'}, state ${last.state ?? '-'}, timeline ${last.timeline ?? '-'}, postgres ${last.pg}`,
        );
      if (endOf(history) - from < bound)
        return result(name, 'unknown', `the run ended before the bound of ${formatSeconds(bound)} passed`, evidence, figures);
      return result(
        name,
        'fail',
        `${old.node} did not come back as a streaming replica on timeline ${final.timeline}`,
        evidence,
        figures,
      );
    }
    if (back.t - from > bound)
      return result(
        name,
        'fail',
        `${old.node} rejoined after ${formatSeconds(back.t - from)}, later than ${formatSeconds(bound)}`,
        evidence,
        figures,
      );
    return result(
      name,
      'pass',
      `${old.node} streams from ${final.node} on timeline ${final.timeline} after ${formatSeconds(back.t - from)}`,
      evidence,
      figures,
    );
  },
};
