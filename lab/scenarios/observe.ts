/**
 * Facts derived from a History that several checks share: who accepted writes when, who led before
 * the first fault, who leads at the end. Pure functions; no check re-derives these its own way.
 */
import type { FaultEvent, History, SampleEvent, WriteEvent } from './history.js';
import { isSample, isWrite } from './history.js';
import { isRunningReplicaState } from '../cluster/patroni.js';

/** A node accepts writes when PostgreSQL answers and is not in recovery (Patroni's word is not enough: a frozen Patroni can sit on a live primary). */
export function acceptsWrites(s: SampleEvent): boolean {
  return s.pg === 'primary';
}

/** Patroni calls the node a running replica (3.0: `running`, newer: `streaming`) and PostgreSQL is in recovery. */
export function isStreamingReplica(s: SampleEvent): boolean {
  return s.role === 'replica' && isRunningReplicaState(s.state) && s.pg === 'replica';
}

/**
 * `replica` streams from `leader`: it is a running replica on the leader's timeline and the leader's
 * walsenders list it. Patroni's word alone is not enough: 3.0 says `running` for a replica whose WAL
 * receiver is stuck, e.g. on a diverged history that happens to carry the same timeline number.
 */
export function streamsFrom(replica: SampleEvent, leader: SampleEvent): boolean {
  return isStreamingReplica(replica) && acceptsWrites(leader) && replica.timeline === leader.timeline && (leader.streaming?.includes(replica.node) ?? false);
}

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

export function samples(history: History): SampleEvent[] {
  return history.events.filter(isSample);
}

/** The node that accepted writes and its timeline, as last observed before time `t` (by a sample). */
export function leaderBefore(history: History, t: number): { node: string; timeline: number | null } | undefined {
  let found: SampleEvent | undefined;
  for (const s of samples(history)) {
    if (s.t > t) break;
    if (acceptsWrites(s)) found = s;
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
