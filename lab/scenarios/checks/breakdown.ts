/**
 * Where a client's outage went, on the cluster's own timeline after the fault it is laid to: the new
 * leader took the leader key, PostgreSQL accepted writes, HAProxy marked it up, the client's first ok.
 * Each point comes from the finest source the History has (Patroni's and HAProxy's journals, to the
 * millisecond; else the sampler or the stats poll, to their period) and says how late it may be, so
 * two points closer than that are reported as not ordered instead of in an order that may be wrong.
 * Pure.
 */
import type { HaproxyEvent, History, LogEvent } from '../history/history.js';
import { leaderBefore, samples, writableRuns } from '../history/after-run.js';
import type { Outage } from './unavailability.js';

/** How far a journal line's time may be from the run's clock: journald stamps it on receipt, the run maps wall time to its own. */
export const JOURNAL_SLACK_MS = 50;
/** How often the workload polls HAProxy's stats (client/workload.ts): a change is seen up to this late. */
export const HAPROXY_POLL_MS = 250;

export type PointName = 'leader key' | 'promoted' | 'HAProxy up' | 'first ok';

export interface BreakdownPoint {
  what: PointName;
  /** ms after the fault: the latest moment it happened. */
  ms: number;
  /** It may have happened up to this much earlier (the source's resolution). */
  earlierByMs: number;
  source: 'patroni log' | 'haproxy log' | 'sampler' | 'haproxy stats' | 'client';
  node?: string;
}

export interface Breakdown {
  fault: string;
  faultAt: number;
  /** In time order. */
  points: BreakdownPoint[];
  /** Neighbouring points whose sources cannot order them (their windows overlap). */
  unordered: [PointName, PointName][];
}

const logs = (history: History, source: LogEvent['source'], from: number): LogEvent[] =>
  history.events.filter((e): e is LogEvent => e.kind === 'log' && e.source === source && e.t >= from);

/** The new leader taking (or keeping) the leader key, from Patroni's log; else a sample naming another leader. */
function leaderKey(history: History, faultAt: number): BreakdownPoint | null {
  const line = logs(history, 'patroni', faultAt).find((l) => /session lock/i.test(l.line));
  if (line)
    return { what: 'leader key', ms: line.t - faultAt, earlierByMs: JOURNAL_SLACK_MS, source: 'patroni log', node: line.node };
  const old = leaderBefore(history, faultAt)?.node;
  const seen = samples(history).find(
    (s) => s.t >= faultAt && s.node !== old && s.leader !== undefined && s.leader !== null && s.leader !== old,
  );
  return seen
    ? {
        what: 'leader key',
        ms: seen.t - faultAt,
        earlierByMs: history.meta.samplePeriodMs,
        source: 'sampler',
        node: seen.leader!,
      }
    : null;
}

/** PostgreSQL on `node` (the key's holder) accepting writes: its own log line; else the first writable sample after the client's last ok. */
function promoted(history: History, faultAt: number, outage: Outage, node: string | undefined): BreakdownPoint | null {
  const line = logs(history, 'patroni', faultAt).find(
    (l) => (node === undefined || l.node === node) && /ready to accept connections|ready to accept read-write/i.test(l.line),
  );
  if (line)
    return { what: 'promoted', ms: line.t - faultAt, earlierByMs: JOURNAL_SLACK_MS, source: 'patroni log', node: line.node };
  const run = writableRuns(history).find((r) => r.start > outage.from && r.start >= faultAt);
  return run
    ? { what: 'promoted', ms: run.start - faultAt, earlierByMs: history.meta.samplePeriodMs, source: 'sampler', node: run.node }
    : null;
}

/** HAProxy marking `node` up on its read-write listener: its own log line; else the stats poll. */
function haproxyUp(history: History, faultAt: number, node: string | undefined): BreakdownPoint | null {
  const line = logs(history, 'haproxy', faultAt).find((l) => {
    const m = /Server primary\/(\S+) is UP/.exec(l.line);
    return m && (node === undefined || m[1] === node);
  });
  if (line) return { what: 'HAProxy up', ms: line.t - faultAt, earlierByMs: JOURNAL_SLACK_MS, source: 'haproxy log' };
  const polled = history.events.find(
    (e): e is HaproxyEvent =>
      e.kind === 'haproxy' && e.t >= faultAt && (node === undefined ? e.readWrite.length > 0 : e.readWrite.includes(node)),
  );
  return polled ? { what: 'HAProxy up', ms: polled.t - faultAt, earlierByMs: HAPROXY_POLL_MS, source: 'haproxy stats' } : null;
}

export function breakdown(history: History, outage: Outage, { behindHaproxy }: { behindHaproxy: boolean }): Breakdown | null {
  if (outage.faultAt === null || outage.cause === null) return null;
  const faultAt = outage.faultAt;
  const key = leaderKey(history, faultAt);
  const promotion = promoted(history, faultAt, outage, key?.node);
  const node = promotion?.node ?? key?.node;
  const points = [
    key,
    promotion,
    behindHaproxy ? haproxyUp(history, faultAt, node) : null,
    outage.recovered ? ({ what: 'first ok', ms: outage.to - faultAt, earlierByMs: 0, source: 'client' } as const) : null,
  ]
    .filter((p): p is BreakdownPoint => p !== null)
    .sort((a, b) => a.ms - b.ms);
  const unordered: [PointName, PointName][] = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    // b may have happened as early as b.ms - b.earlierByMs: at or before a's latest moment, they cannot be ordered.
    if (b.ms - b.earlierByMs <= a.ms) unordered.push([a.what, b.what]);
  }
  return { fault: outage.cause, faultAt, points, unordered };
}
