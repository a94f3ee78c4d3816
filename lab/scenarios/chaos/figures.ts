/**
 * The figures of a chaos run, pure functions of its History: how available writes were in each
 * window, the write latency in each phase (quiet, or which faults were in force), the longest
 * stretch without an acknowledged write and the fault it is laid to, and per-bucket latency
 * percentiles for the picture (aggregated: a 10-minute run has ~10 000 writes).
 */
import type { History } from '../history/history.js';
import { writeOutcomes, type CompletedWrite } from '../history/after-run.js';
import { faultSpans, unavailableStretches, type FaultSpan, type Unavailability } from '../checks/unavailability.js';

export interface WindowAvailability {
  from: number;
  to: number;
  /** Share of the window with writes acknowledged, 0..100. */
  percent: number;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface PhaseLatency extends Percentiles {
  /** "quiet", or the faults in force joined with "+": "partition", "freeze+stop-service". */
  phase: string;
  ok: number;
  failed: number;
  indeterminate: number;
  /** Time spent in this phase, ms. */
  ms: number;
}

export interface LatencyBucket extends Percentiles {
  from: number;
  max: number | null;
  ok: number;
  failed: number;
  indeterminate: number;
}

export interface ChaosFigures {
  /** From the first to the last completed write: what availability is measured over. */
  from: number;
  to: number;
  availabilityPercent: number | null;
  windowMs: number;
  windows: WindowAvailability[];
  phases: PhaseLatency[];
  unavailable: Unavailability[];
  longest: Unavailability | null;
  bucketMs: number;
  buckets: LatencyBucket[];
  faults: FaultSpan[];
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

const latency = (w: CompletedWrite) => w.completedAt! - w.invokedAt;
const overlap = (a: { from: number; to: number }, b: { from: number; to: number }) =>
  Math.max(0, Math.min(a.to, b.to) - Math.max(a.from, b.from));

/** The phase at `t`: the faults in force, by name. */
function phaseAt(spans: readonly FaultSpan[], t: number): string {
  const names = [...new Set(spans.filter((s) => s.from <= t && t < s.to).map((s) => s.fault))].sort();
  return names.length === 0 ? 'quiet' : names.join('+');
}

export function computeChaosFigures(history: History, options: { windowMs?: number; buckets?: number } = {}): ChaosFigures {
  const writes = writeOutcomes(history).filter((w) => w.completedAt !== null);
  const from = writes.reduce((m, w) => Math.min(m, w.invokedAt), writes[0]?.invokedAt ?? 0);
  const to = writes.reduce((m, w) => Math.max(m, w.completedAt!), from);
  const spans = faultSpans(history, to);
  const length = to - from;
  const windowMs = options.windowMs ?? Math.max(10_000, Math.ceil(length / 60 / 1000) * 1000);
  const bucketMs = Math.max(1000, Math.ceil(length / (options.buckets ?? 300) / 1000) * 1000);

  // Stretches without an acknowledgement, from the first write on (the writer finds the leader first).
  const acks = [from, ...writes.filter((w) => w.outcome === 'ok').map((w) => w.completedAt!)];
  const unavailable = unavailableStretches(acks, spans, { end: to });
  const down = (span: { from: number; to: number }) => unavailable.reduce((sum, u) => sum + overlap(u, span), 0);

  const windows: WindowAvailability[] = [];
  for (let w = from; w < to; w += windowMs) {
    const win = { from: w, to: Math.min(to, w + windowMs) };
    windows.push({ ...win, percent: 100 * (1 - down(win) / (win.to - win.from)) });
  }

  const byPhase = new Map<string, { ok: number[]; failed: number; indeterminate: number; ms: number }>();
  const phase = (name: string) =>
    byPhase.get(name) ?? byPhase.set(name, { ok: [], failed: 0, indeterminate: 0, ms: 0 }).get(name)!;
  for (const w of writes) {
    const p = phase(phaseAt(spans, w.invokedAt));
    if (w.outcome === 'ok') p.ok.push(latency(w));
    else if (w.outcome === 'fail') p.failed++;
    else p.indeterminate++;
  }
  // Time in each phase: the run cut at every injection and heal.
  const cuts = [...new Set([from, to, ...spans.flatMap((s) => [s.from, s.to])])]
    .filter((t) => t >= from && t <= to)
    .sort((a, b) => a - b);
  for (let i = 1; i < cuts.length; i++) phase(phaseAt(spans, cuts[i - 1]!)).ms += cuts[i]! - cuts[i - 1]!;

  const perBucket = Array.from({ length: Math.ceil(length / bucketMs) }, () => [] as CompletedWrite[]);
  for (const w of writes) perBucket[Math.min(perBucket.length - 1, Math.floor((w.invokedAt - from) / bucketMs))]?.push(w);
  const buckets: LatencyBucket[] = perBucket.map((inside, i) => {
    const ok = inside.filter((w) => w.outcome === 'ok').map(latency);
    return {
      from: from + i * bucketMs,
      ...percentiles(ok),
      max: ok.reduce<number | null>((m, v) => (m === null || v > m ? v : m), null),
      ok: ok.length,
      failed: inside.filter((w) => w.outcome === 'fail').length,
      indeterminate: inside.filter((w) => w.outcome === 'indeterminate').length,
    };
  });

  const longest = unavailable.reduce<Unavailability | null>((best, u) => (!best || u.ms > best.ms ? u : best), null);
  return {
    from,
    to,
    availabilityPercent: length > 0 ? 100 * (1 - down({ from, to }) / length) : null,
    windowMs,
    windows,
    phases: [...byPhase.entries()]
      .map(([name, p]) => ({
        phase: name,
        ...percentiles(p.ok),
        ok: p.ok.length,
        failed: p.failed,
        indeterminate: p.indeterminate,
        ms: p.ms,
      }))
      .sort((a, b) => (a.phase === 'quiet' ? -1 : b.phase === 'quiet' ? 1 : a.phase.localeCompare(b.phase))),
    unavailable,
    longest,
    bucketMs,
    buckets,
    faults: spans,
  };
}
