/**
 * Stretches without an acknowledgement, each laid to the fault in force when it began: one finder for
 * the direct writer, every entry path and `lab chaos`, so a scenario and a chaos run mean the same
 * thing by "unavailable". Pure.
 */
import type { History } from '../history/history.js';

/** Longer than this between two acknowledgements is unavailability (the clients act every 50 to 200 ms). */
export const UNAVAILABLE_MS = 1000;
/** A stretch that begins this long after a fault was healed is still laid to it (the cluster recovering). */
export const AFTER_HEAL_MS = 30_000;

/** A fault from its injection to its heal (or the end of its hold). */
export interface FaultSpan {
  fault: string;
  node: string;
  from: number;
  to: number;
}

export interface Unavailability {
  from: number;
  to: number;
  ms: number;
  /** The fault it is laid to, "partition on node2"; null when no fault was in force or just healed. */
  cause: string | null;
}

/** Each fault event paired with the first heal of the same fault on the same node after it; unhealed ones last to `end`. */
export function faultSpans(history: History, end: number): FaultSpan[] {
  const spans: FaultSpan[] = [];
  const open: FaultSpan[] = [];
  for (const e of history.events) {
    if (e.kind === 'fault') {
      const span = { fault: e.fault, node: e.node, from: e.t, to: end };
      spans.push(span);
      open.push(span);
    } else if (e.kind === 'heal') {
      const i = open.findIndex((s) => s.fault === e.fault && s.node === e.node);
      if (i >= 0) open.splice(i, 1)[0]!.to = e.t;
    }
  }
  return spans;
}

/**
 * The fault a stretch beginning at `from` is laid to: of those in force then (or injected within
 * UNAVAILABLE_MS after: the last acknowledgement comes just before the fault that ends them, or
 * healed at most AFTER_HEAL_MS before), the latest injected. A configuration change held for the
 * whole run (failsafe-mode) therefore yields to the outage injected under it.
 */
export function faultOf(from: number, spans: readonly FaultSpan[]): FaultSpan | null {
  const candidates = spans.filter((s) => s.from <= from + UNAVAILABLE_MS && s.to + AFTER_HEAL_MS >= from);
  return [...candidates].sort((a, b) => b.from - a.from)[0] ?? null;
}

export const faultName = (span: FaultSpan | null): string | null => (span ? `${span.fault} on ${span.node}` : null);

/**
 * The stretches between consecutive acknowledgements (`acks`, any order) longer than `minMs`, each
 * laid to its fault. `end`, when later than the last acknowledgement by more than `minMs`, closes a
 * last stretch that never ended in one.
 */
export function unavailableStretches(
  acks: readonly number[],
  spans: readonly FaultSpan[],
  { end, minMs = UNAVAILABLE_MS }: { end?: number; minMs?: number } = {},
): Unavailability[] {
  const times = [...acks].sort((a, b) => a - b);
  if (end !== undefined && times.length > 0 && end > times[times.length - 1]!) times.push(end);
  const out: Unavailability[] = [];
  for (let i = 1; i < times.length; i++) {
    const [from, to] = [times[i - 1]!, times[i]!];
    if (to - from > minMs) out.push({ from, to, ms: to - from, cause: faultName(faultOf(from, spans)) });
  }
  return out;
}

/** A stretch of one client's, with the injection time of the fault it is laid to and whether an acknowledgement ended it. */
export interface Outage extends Unavailability {
  faultAt: number | null;
  /** false: the run ended before an acknowledgement did. */
  recovered: boolean;
}

export interface Outages {
  /** Every stretch longer than UNAVAILABLE_MS, in time order. */
  windows: Outage[];
  /** Per fault, the longest stretch laid to it (however short), in the order of the faults. */
  byFault: Outage[];
  /** The longest of byFault: the client's downtime. */
  longest: Outage | null;
}

/**
 * One client's outages: from its acknowledgements (`okTimes`) and the run's faults. With no
 * acknowledgement before the first fault (the client had not found the primary yet), the first
 * stretch is counted from that fault, not from an acknowledgement that never was. `end` (the client's
 * last answer) closes a stretch the run ended in.
 */
export function outages(okTimes: readonly number[], spans: readonly FaultSpan[], end?: number): Outages {
  const first = spans[0]?.from;
  const acks = first !== undefined && !okTimes.some((t) => t < first) ? [first, ...okTimes] : [...okTimes];
  const known = new Set(okTimes);
  const all: Outage[] = unavailableStretches(acks, spans, { ...(end !== undefined ? { end } : {}), minMs: 0 }).map((u) => ({
    ...u,
    faultAt: faultOf(u.from, spans)?.from ?? null,
    recovered: known.has(u.to),
  }));
  const byFault = new Map<string, Outage>();
  for (const o of all) {
    if (o.cause === null) continue;
    // The same fault may be injected twice on the same node: each injection is its own.
    const key = `${o.cause}@${o.faultAt}`;
    const best = byFault.get(key);
    if (!best || o.ms > best.ms) byFault.set(key, o);
  }
  const laid = [...byFault.values()].sort((a, b) => a.faultAt! - b.faultAt! || a.from - b.from);
  return {
    windows: all.filter((o) => o.ms > UNAVAILABLE_MS),
    byFault: laid,
    longest: laid.reduce<Outage | null>((best, o) => (!best || o.ms > best.ms ? o : best), null),
  };
}
