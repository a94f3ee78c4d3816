/**
 * restart-applied: a parameter change that needs a restart (set-parameter) reached every member,
 * shown as a pending restart, and every member was restarted into it before the change was undone,
 * so the new value was in force on each. At the run's end no member is left with a restart pending.
 * pending_restart is PostgreSQL's own word (pg_settings: a value changed in the configuration that
 * the running server does not use yet), as Patroni reports it; it clearing after a restart is the
 * value in force.
 */
import { Type } from '@sinclair/typebox';
import { formatSeconds } from '../../clock.js';
import type { FaultEvent, History, SampleEvent } from '../history/history.js';
import { result, type CheckDefinition } from './types.js';

const CHANGE = 'set-parameter';

/** For one node within [from, to): when a restart was first pending, and when after that it no longer was. */
function pendingThenApplied(samples: readonly SampleEvent[], from: number, to: number): { pending?: number; applied?: number } {
  const out: { pending?: number; applied?: number } = {};
  for (const s of samples) {
    if (s.t < from || s.t >= to || s.pendingRestart === undefined) continue;
    if (out.pending === undefined) {
      if (s.pendingRestart) out.pending = s.t;
    } else if (!s.pendingRestart) {
      out.applied = s.t;
      break;
    }
  }
  return out;
}

export const restartApplied: CheckDefinition = {
  name: 'restart-applied',
  describe:
    'each set-parameter change showed a restart pending on every node, and every node was restarted into it before the change was undone; no restart is left pending at the end',
  params: Type.Object({}, { additionalProperties: false }),
  implicitWhen: (history) => history.events.some((e) => e.kind === 'fault' && e.fault === CHANGE),
  run(history: History) {
    const name = 'restart-applied';
    const changes = history.events.filter((e): e is FaultEvent => e.kind === 'fault' && e.fault === CHANGE);
    if (changes.length === 0) return result(name, 'unknown', 'no set-parameter change in this run');
    const samples = new Map<string, SampleEvent[]>(history.meta.nodes.map((n) => [n, []]));
    for (const e of history.events) if (e.kind === 'sample') samples.get(e.node)?.push(e);
    const evidence: string[] = [];
    const problems: string[] = [];
    for (const change of changes) {
      // A change never undone is judged to the run's end.
      const undone = history.events.find((e) => e.kind === 'heal' && e.fault === CHANGE && e.t > change.t)?.t ?? Infinity;
      const what = change.detail ? `${CHANGE} ${change.detail}` : CHANGE;
      for (const node of history.meta.nodes) {
        const { pending, applied } = pendingThenApplied(samples.get(node)!, change.t, undone);
        if (pending === undefined)
          problems.push(`${node}: no restart pending after ${what} (it needs none, or it never reached ${node})`);
        else if (applied === undefined)
          problems.push(
            `${node}: restart pending from ${formatSeconds(pending)}, never applied ${undone === Infinity ? "by the run's end" : `before ${formatSeconds(undone)}`}`,
          );
        else
          evidence.push(`${node}: ${what}: restart pending from ${formatSeconds(pending)}, applied at ${formatSeconds(applied)}`);
      }
    }
    const stillPending = history.meta.nodes.filter(
      (n) => [...samples.get(n)!].reverse().find((s) => s.pendingRestart !== undefined)?.pendingRestart,
    );
    for (const node of stillPending) problems.push(`${node}: a restart is still pending at the run's end`);
    const figures = { changes: changes.length, nodesLeftPending: stillPending.length };
    if (problems.length > 0)
      return result(
        name,
        'fail',
        `${problems.length} problem(s) applying ${changes.length} change(s)`,
        [...problems, ...evidence],
        figures,
      );
    return result(
      name,
      'pass',
      `every node was restarted into each of ${changes.length} change(s); none left pending`,
      evidence,
      figures,
    );
  },
};
