/**
 * The cluster as the latest samples show it, for decisions made while the run goes on (where the
 * writer sends its inserts, whether a wait is over). Only samples taken at or after `since` count,
 * so a wait never passes on what was true before its step began.
 */
import type { HistoryEvent, SampleEvent, WriteEvent } from './history.js';
import { acceptsWrites } from '../../cluster/probe.js';

export interface LiveView {
  latest: Map<string, SampleEvent>;
  /** Every node has been sampled since `since`. */
  complete: boolean;
}

export function viewSince(events: readonly HistoryEvent[], nodes: readonly string[], since: number): LiveView {
  const latest = new Map<string, SampleEvent>();
  // Scan from the end: the newest events are what matter and the history only grows.
  for (let i = events.length - 1; i >= 0 && latest.size < nodes.length; i--) {
    const e = events[i]!;
    if (e.t < since) break;
    if (e.kind === 'sample' && !latest.has(e.node)) latest.set(e.node, e);
  }
  return { latest, complete: nodes.every((n) => latest.has(n)) };
}

export function writableNodes(view: LiveView): SampleEvent[] {
  return [...view.latest.values()].filter(acceptsWrites);
}

/**
 * The node clients should write to: the one accepting writes; if several do (a split brain being
 * observed), the one most nodes name as leader in the DCS, as a Patroni-aware proxy would choose.
 */
export function currentLeader(view: LiveView): SampleEvent | undefined {
  const writable = writableNodes(view);
  if (writable.length <= 1) return writable[0];
  const votes = (node: string) => [...view.latest.values()].filter((s) => s.leader === node).length;
  return [...writable].sort((a, b) => votes(b.node) - votes(a.node))[0];
}

/** Completed writes (acknowledged, failed or indeterminate) since `since`, oldest first. */
export function completedWritesSince(events: readonly HistoryEvent[], since: number): WriteEvent[] {
  const out: WriteEvent[] = [];
  for (let i = events.length - 1; i >= 0 && events[i]!.t >= since; i--) {
    const e = events[i]!;
    if (e.kind === 'write' && e.phase !== 'invoke') out.push(e);
  }
  return out.reverse();
}
