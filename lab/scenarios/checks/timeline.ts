/**
 * timeline-advanced: a promotion starts a new timeline; the final leader's must be above the old leader's.
 * leader-kept: the old leader leads again at the end and no other node accepted writes meanwhile (a
 * restart in place, no failover). The timeline is reported, not required to stay: Patroni starts a
 * crashed primary read-only and promotes it again, which starts a new timeline (seen with 3.0.2).
 */
import { Type } from '@sinclair/typebox';
import { finalLeader, firstFault, leaderBefore, writableObservations } from '../history/after-run.js';
import type { History } from '../history/history.js';
import { result, type CheckDefinition, type CheckResult } from './types.js';

const NoParams = Type.Object({}, { additionalProperties: false });

interface Endpoints {
  before: { node: string; timeline: number | null };
  after: { node: string; timeline: number | null };
  faultAt: number;
}

/** The leader before the first fault and at the end, or the reason one of them is not known. */
function endpoints(history: History, name: string): Endpoints | CheckResult {
  const fault = firstFault(history);
  if (!fault) return result(name, 'unknown', 'the scenario injected no fault');
  const before = leaderBefore(history, fault.t);
  if (!before || before.timeline === null)
    return result(name, 'unknown', 'no leader (with its timeline) was observed before the fault');
  const after = finalLeader(history);
  if (!after || after.timeline === null)
    return result(name, 'unknown', 'no single leader (with its timeline) at the end of the run');
  return { before, after, faultAt: fault.t };
}

/** What both timeline checks report: the leader and its timeline before the fault and at the end. */
function beforeAfter(e: { before: { node: string; timeline: number | null }; after: { node: string; timeline: number | null } }) {
  return {
    evidence: [
      `before: ${e.before.node} on timeline ${e.before.timeline}`,
      `after: ${e.after.node} on timeline ${e.after.timeline}`,
    ],
    figures: { timelineBefore: e.before.timeline, timelineAfter: e.after.timeline },
  };
}

export const timelineAdvanced: CheckDefinition = {
  name: 'timeline-advanced',
  describe: "the final leader's timeline is above the old leader's",
  params: NoParams,
  run(history) {
    const name = 'timeline-advanced';
    const e = endpoints(history, name);
    if ('status' in e) return e;
    const { evidence, figures } = beforeAfter(e);
    return e.after.timeline! > e.before.timeline!
      ? result(name, 'pass', `timeline ${e.before.timeline} -> ${e.after.timeline}`, evidence, figures)
      : result(name, 'fail', `the timeline did not advance (still ${e.after.timeline})`, evidence, figures);
  },
};

export const leaderKept: CheckDefinition = {
  name: 'leader-kept',
  describe: 'the old leader leads again at the end, and no other node accepted writes',
  params: NoParams,
  run(history) {
    const name = 'leader-kept';
    const e = endpoints(history, name);
    if ('status' in e) return e;
    const others = [
      ...new Set(
        writableObservations(history)
          .filter((o) => o.t >= e.faultAt && o.writable && o.node !== e.before.node)
          .map((o) => o.node),
      ),
    ];
    const shared = beforeAfter(e);
    const evidence = [
      ...shared.evidence,
      ...(others.length > 0 ? [`other node(s) accepted writes after the fault: ${others.join(', ')}`] : []),
    ];
    const figures = shared.figures;
    if (e.after.node !== e.before.node || others.length > 0)
      return result(name, 'fail', `leadership moved from ${e.before.node} to ${others[0] ?? e.after.node}`, evidence, figures);
    const timeline =
      e.after.timeline === e.before.timeline
        ? `on timeline ${e.after.timeline}`
        : `(timeline ${e.before.timeline} -> ${e.after.timeline})`;
    return result(name, 'pass', `${e.after.node} kept the lead ${timeline}`, evidence, figures);
  },
};
