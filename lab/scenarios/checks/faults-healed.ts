/**
 * faults-healed: every fault that left something to undo (it was journaled) was healed, and every heal
 * succeeded. A fault left in force would make everything judged after it a judgement of that fault.
 */
import { Type } from '@sinclair/typebox';
import { formatSeconds } from '../../clock.js';
import type { FaultEvent, HealEvent } from '../history/history.js';
import { result, type CheckDefinition } from './types.js';

export const faultsHealed: CheckDefinition = {
  name: 'faults-healed',
  describe: 'every fault that left something to undo was healed, and no heal failed',
  params: Type.Object({}, { additionalProperties: false }),
  run(history) {
    const name = 'faults-healed';
    const pending: FaultEvent[] = [];
    const failed: HealEvent[] = [];
    let healed = 0;
    for (const e of history.events) {
      if (e.kind === 'fault' && e.journaled) pending.push(e);
      if (e.kind !== 'heal') continue;
      if (!e.ok) failed.push(e);
      const i = pending.findIndex((f) => f.fault === e.fault && f.node === e.node);
      if (i >= 0 && e.ok) {
        pending.splice(i, 1);
        healed++;
      }
    }
    const evidence = [
      ...failed.map((h) => `heal of ${h.fault} on ${h.node} at ${formatSeconds(h.t)} failed: ${h.detail ?? ''}`),
      ...pending.map((f) => `${f.fault} on ${f.node}, injected at ${formatSeconds(f.t)}, never healed`),
    ];
    const figures = { healed, unhealed: pending.length, failedHeals: failed.length };
    if (evidence.length > 0)
      return result(name, 'fail', `${pending.length} fault(s) never healed, ${failed.length} heal(s) failed`, evidence, figures);
    return result(name, 'pass', `all ${healed} fault(s) that left something to undo were healed`, [], figures);
  },
};
