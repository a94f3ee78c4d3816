/**
 * Facts derived from a History that several checks share: who accepted writes when, who led before
 * the first fault, who leads at the end. Pure functions; no check re-derives these its own way.
 */
import type { FaultEvent, History, SampleEvent, WriteEvent, WriteOutcome } from './history.js';
import { isSample, isWrite } from './history.js';
import { acceptsWrites } from '../../cluster/probe.js';

/** A point observation of whether a node accepted writes: a sample, or an acknowledged insert (which proves it). */
export interface WritableObservation {
  t: number;
  node: string;
  writable: boolean;
  source: 'sample' | 'write';
}

export function writableObservations(history: History): WritableObservation[] {
  const out: WritableObservation[] = [];
  for (const e of history.events) {
    if (isSample(e)) out.push({ t: e.t, node: e.node, writable: acceptsWrites(e), source: 'sample' });
    else if (isWrite(e) && e.phase === 'ok') out.push({ t: e.t, node: e.node, writable: true, source: 'write' });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** A stretch of time in which every observation of `node` said it accepted writes. */
export interface WritableRun {
  node: string;
  start: number;
  end: number;
  observations: number;
}

/**
 * Maximal runs of consecutive "writable" observations per node. The node is known to have accepted
 * writes from the run's first to its last observation; beyond that (until the next observation) is unknown.
 */
export function writableRuns(history: History): WritableRun[] {
  const runs: WritableRun[] = [];
  const open = new Map<string, WritableRun>();
  for (const o of writableObservations(history)) {
    const run = open.get(o.node);
    if (o.writable) {
      if (run) {
        run.end = o.t;
        run.observations++;
      } else open.set(o.node, { node: o.node, start: o.t, end: o.t, observations: 1 });
    } else if (run) {
      runs.push(run);
      open.delete(o.node);
    }
  }
  runs.push(...open.values());
  return runs.sort((a, b) => a.start - b.start);
}

export function firstFault(history: History): FaultEvent | undefined {
  return history.events.find((e): e is FaultEvent => e.kind === 'fault');
}

export function writes(history: History): WriteEvent[] {
  return history.events.filter(isWrite);
}

/** How one invoked write ended. */
export interface CompletedWrite {
  seq: number;
  node: string;
  invokedAt: number;
  /** null: it never completed. */
  completedAt: number | null;
  outcome: WriteOutcome;
}

/**
 * Every invoked write with its outcome, in invocation order. A write invoked but never completed
 * (a History cut short) is indeterminate, as Jepsen treats an operation that never returned.
 */
export function writeOutcomes(history: History): CompletedWrite[] {
  const bySeq = new Map<number, CompletedWrite>();
  for (const w of writes(history)) {
    if (w.phase === 'invoke')
      bySeq.set(w.seq, { seq: w.seq, node: w.node, invokedAt: w.t, completedAt: null, outcome: 'indeterminate' });
    else {
      const invoked = bySeq.get(w.seq);
      if (invoked) Object.assign(invoked, { completedAt: w.t, outcome: w.phase });
    }
  }
  return [...bySeq.values()];
}

export function samples(history: History): SampleEvent[] {
  return history.events.filter(isSample);
}

/** The node that accepted writes and its timeline, as last observed before time `t` (by a sample). */
export function leaderBefore(history: History, t: number): { node: string; timeline: number | null } | undefined {
  let found: SampleEvent | undefined;
  for (const s of samples(history)) {
    if (s.t > t) break;
    // A busy host answers SQL but not Patroni's REST API at times: such a sample (no timeline) of the
    // same leader must not hide the timeline an earlier one gave.
    if (acceptsWrites(s) && (s.timeline !== null || found?.node !== s.node)) found = s;
  }
  return found && { node: found.node, timeline: found.timeline };
}

/** The node accepting writes at the end of the run, with the timeline it reported then. */
export function finalLeader(history: History): { node: string; timeline: number | null; t: number } | undefined {
  const all = samples(history);
  const last = new Map<string, SampleEvent>();
  for (const s of all) last.set(s.node, s);
  const writable = [...last.values()].filter(acceptsWrites);
  if (writable.length !== 1) return undefined;
  const s = writable[0]!;
  return { node: s.node, timeline: s.timeline, t: s.t };
}

export function endOf(history: History): number {
  return history.events.length > 0 ? history.events[history.events.length - 1]!.t : 0;
}
