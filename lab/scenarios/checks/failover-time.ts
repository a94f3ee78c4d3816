/**
 * failover-time: after the first fault, another node accepts writes within a bound derived from the
 * lab's timings. Reports detection, promotion and client-visible write downtime.
 */
import { Type } from '@sinclair/typebox';
import { BoundParam, evaluateBound } from '../bounds.js';
import { computeFigures } from './figures.js';
import { endOf } from '../history/after-run.js';
import { formatSeconds } from '../../clock.js';
import { result, type CheckDefinition } from './types.js';

const Params = Type.Object(
  { within: BoundParam('ttl + loop_wait + 10s', 'Bound on fault -> new leader accepting writes') },
  { additionalProperties: false },
);

export const failoverTime: CheckDefinition<typeof Params> = {
  name: 'failover-time',
  describe: 'a new leader accepts writes within a bound derived from ttl and loop_wait',
  params: Params,
  timeFigure: 'promotionMs',
  run(history, params) {
    const name = 'failover-time';
    const f = computeFigures(history);
    const bound = evaluateBound(params.within, history.meta.timings);
    const figures = { boundMs: bound, detectionMs: f.detectionMs, promotionMs: f.promotionMs, downtimeMs: f.downtimeMs };
    const evidence = [
      `bound: ${params.within} = ${formatSeconds(bound)}`,
      `detection (leader key lost or moved, seen by another node): ${formatSeconds(f.detectionMs)}`,
      `promotion (${f.newLeader ?? 'no other node'} accepting writes): ${formatSeconds(f.promotionMs)}`,
      f.downtimeMs === null
        ? 'write downtime: writes did not resume after the fault'
        : `write downtime: ${formatSeconds(f.downtimeMs)} (last ok ${formatSeconds(f.downtimeFrom)}, next ok ${formatSeconds(f.downtimeTo)})`,
    ];
    if (f.faultAt === null) return result(name, 'unknown', 'the scenario injected no fault', evidence, figures);
    if (f.oldLeader === null) return result(name, 'unknown', 'no leader was observed before the fault', evidence, figures);
    if (f.promotionMs === null) {
      if (endOf(history) - f.faultAt < bound)
        return result(name, 'unknown', `the run ended before the bound of ${formatSeconds(bound)} passed`, evidence, figures);
      return result(name, 'fail', `no node other than ${f.oldLeader} accepted writes after the fault`, evidence, figures);
    }
    if (f.promotionMs > bound) {
      return result(
        name,
        'fail',
        `${f.newLeader} accepted writes ${formatSeconds(f.promotionMs)} after the fault, later than the bound ${formatSeconds(bound)}`,
        evidence,
        figures,
      );
    }
    return result(
      name,
      'pass',
      `${f.newLeader} took over from ${f.oldLeader} in ${formatSeconds(f.promotionMs)} (bound ${formatSeconds(bound)})`,
      evidence,
      figures,
    );
  },
};
