/**
 * The live timeline: one line per thing worth seeing while a scenario runs (steps, faults, heals,
 * a node changing state, writes starting to fail or coming back), not one per sample; after the run,
 * the same lines again with the services' log lines, read from their journals then, in their places.
 */
import type { HistoryEvent, WriteEvent } from '../scenarios/history/history.js';
import type { RunResult } from '../scenarios/engine.js';
import type { PathFigures, Percentiles } from '../scenarios/checks/path-figures.js';
import { JOURNAL_SLACK_MS, type Breakdown } from '../scenarios/checks/breakdown.js';
import type { Outage } from '../scenarios/checks/unavailability.js';
import type { CheckResult } from '../scenarios/checks/index.js';
import { formatSeconds } from '../clock.js';
import { describeSample } from './labels.js';

const stamp = (t: number) => formatSeconds(t).padStart(9);
// Entry path names (haproxy-ro) and `workload` are 8 characters or more: a space still follows them.
const who = (label: string) => (label.length >= 8 ? `${label} ` : label.padEnd(8));

/** A write that was not acknowledged, as a person reads it. */
function unacknowledged(e: WriteEvent): string {
  const how = e.phase === 'fail' ? 'failing' : 'outcome unknown';
  return `${how} on ${e.node} (${e.errorClass ?? 'other'}): ${e.error ?? ''}`;
}

/** A line of the timeline, and when in the run (milliseconds) what it says happened. */
export interface TimedLine {
  t: number;
  line: string;
}

/**
 * The timeline's lines and the log lines as one list in time order; at the same millisecond the
 * timeline's line comes first. Pure.
 */
export function inTimeOrder(timeline: readonly TimedLine[], logs: readonly TimedLine[]): TimedLine[] {
  // Array.prototype.sort is stable: equal times keep the timeline-first order of the concatenation.
  return [...timeline, ...logs].sort((a, b) => a.t - b.t);
}

export interface LiveTimeline {
  /** For HistoryRecorder.onEvent: prints each line as it happens, and keeps the log lines, which come after the run. */
  listen(event: HistoryEvent): void;
  /** After the run: the whole timeline with the log lines in time order, under a heading; nothing when no log line came. */
  withLogs(): string[];
}

/** The live timeline, printed through `write`. */
export function liveTimeline(write: (line: string) => void): LiveTimeline {
  const format = timelineFormatter();
  const printed: TimedLine[] = [];
  const logs: TimedLine[] = [];
  return {
    listen(event) {
      const line = format(event);
      if (line === undefined) return;
      // Patroni's and HAProxy's lines are read from their journals after the run, with the times they
      // were logged: printed as they come they would follow the run's end, out of time order.
      if (event.kind === 'log') logs.push({ t: event.t, line });
      else {
        printed.push({ t: event.t, line });
        write(line);
      }
    },
    withLogs: () =>
      logs.length === 0
        ? []
        : [
            '',
            "the run in time order, with Patroni's and HAProxy's own lines (read from their journals after the run):",
            ...inTimeOrder(printed, logs).map((l) => l.line),
          ],
  };
}

/** Turns each event into its timeline line, or undefined when it changes nothing worth a line (most samples and writes). */
function timelineFormatter(): (event: HistoryEvent) => string | undefined {
  const nodeState = new Map<string, string>();
  // The latest outcome, and since when writes have (or have not) been acknowledged.
  let writes: { phase: WriteEvent['phase']; since: number } | undefined;
  // Per entry path: whether its last answer was ok, so only a change is printed.
  const pathOk = new Map<string, boolean>();
  return (e) => {
    switch (e.kind) {
      case 'sample': {
        const now = describeSample(e);
        const before = nodeState.get(e.node);
        nodeState.set(e.node, now);
        return now === before ? undefined : `${stamp(e.t)}  ${who(e.node)}${before ? `${before} -> ` : ''}${now}`;
      }
      case 'write': {
        if (e.phase === 'invoke' || e.phase === writes?.phase) return undefined;
        const ok = e.phase === 'ok';
        const acknowledged = writes
          ? `acknowledged again by ${e.node} after ${formatSeconds(e.t - writes.since)} without an acknowledgement`
          : `first write acknowledged by ${e.node}`;
        const line = `${stamp(e.t)}  ${who('writes')}${ok ? acknowledged : unacknowledged(e)}`;
        const wasOk = writes?.phase === 'ok';
        writes = { phase: e.phase, since: writes && wasOk === ok ? writes.since : e.t };
        return line;
      }
      case 'fault':
        return `${stamp(e.t)}  ${who('FAULT')}${e.fault} on ${e.node}${e.detail ? ` (${e.detail})` : ''}`;
      case 'heal':
        return `${stamp(e.t)}  ${who('HEAL')}${e.fault} on ${e.node}: ${e.ok ? '' : 'FAILED: '}${e.detail ?? ''}`;
      case 'step':
        return `${stamp(e.t)}  ${who(`step ${e.index + 1}`)}${e.status === 'start' ? e.step : `${e.status}${e.detail ? `: ${e.detail}` : ''}`}`;
      case 'final-read':
        return `${stamp(e.t)}  ${who('writes')}${e.seqs.length} rows read back from ${e.node}`;
      case 'log':
        return `${stamp(e.t)}  ${who(e.node)}${e.source}: ${e.line}`;
      case 'haproxy':
        return `${stamp(e.t)}  ${who('haproxy')}read-write -> ${e.readWrite.join(', ') || 'no server'}; read-only -> ${e.readOnly.join(', ') || 'no server'}`;
      case 'command':
        return `${stamp(e.t)}  ${who('workload')}${e.phase === 'start' ? `started: ${e.command}` : `${e.killed ? `ended by lab (${e.killed})` : e.exitCode === null ? `ended by ${e.signal ?? 'a signal'}` : `exit ${e.exitCode}`} after ${formatSeconds(e.durationMs ?? 0)}`}`;
      case 'op':
      case 'txn': {
        if (e.phase === 'invoke' || pathOk.get(e.path) === (e.phase === 'ok')) return undefined;
        pathOk.set(e.path, e.phase === 'ok');
        const what = e.kind === 'op' ? e.op : 'transaction';
        return `${stamp(e.t)}  ${who(e.path)}${e.phase === 'ok' ? `${what}s answered` : `${what} ${e.phase} (${e.errorClass ?? 'other'}): ${e.error ?? ''}`}`;
      }
    }
  };
}

const MARK = { pass: 'PASS', fail: 'FAIL', unknown: '????' } as const;

const pct = (p: Percentiles | null): string => (p ? `${p.p50}/${p.p95}/${p.p99} ms` : '-');

/** Where an outage went: each point after its fault, from which source, and which the sources cannot order. Pure. */
export function breakdownText(b: Breakdown): string {
  const points = b.points.map(
    (p) =>
      `${p.what}${p.node ? ` (${p.node})` : ''} ${formatSeconds(p.ms)}${p.source === 'client' ? '' : ` [${p.source}${p.earlierByMs > JOURNAL_SLACK_MS ? `, up to ${p.earlierByMs} ms earlier` : ''}]`}`,
  );
  const unordered = b.unordered.map(([a, c]) => `${a} and ${c} too close for their sources to order`);
  return `after ${b.fault}: ${points.join(', ') || 'nothing observed'}${unordered.length > 0 ? `; ${unordered.join('; ')}` : ''}`;
}

/** The longest stretch per fault, when a run had several faults: "failsafe-mode on node2 0.3 s, dcs-outage on node2 9.5 s". */
export function byFaultText(byFault: readonly Outage[]): string {
  return byFault.map((o) => `${o.cause} ${formatSeconds(o.ms)}${o.recovered ? '' : ' (not recovered)'}`).join(', ');
}

/** One entry path: its downtime and the fault it is laid to, where it went, latency p50/p95/p99 before/during/after, errors. Pure. */
export function pathLine(p: PathFigures): string {
  // A result saved before outages were laid to faults has neither field.
  const cause = p.downtimeCause ? `, laid to ${p.downtimeCause}` : '';
  const where = p.breakdown && 'points' in p.breakdown ? ` (${breakdownText(p.breakdown)})` : '';
  const perFault = (p.byFault?.length ?? 0) > 1 ? `; per fault: ${byFaultText(p.byFault)}` : '';
  const errors =
    Object.entries(p.errorClasses)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ') || 'none';
  return `  path ${p.path}: downtime ${formatSeconds(p.downtimeMs)}${cause}${where}${perFault}; latency p50/p95/p99 before ${pct(p.latency.before)}, during ${pct(p.latency.during)}, after ${pct(p.latency.after)}; ${p.ok} ok, ${p.failed} failed, ${p.indeterminate} indeterminate, hung ${p.hung}; errors: ${errors}`;
}

/** Each check's status, name and summary, then its evidence indented. Pure. */
export function checkLines(checks: readonly CheckResult[]): string[] {
  return checks.flatMap((c) => [`  ${MARK[c.status]}  ${c.name}: ${c.summary}`, ...c.evidence.map((e) => `          ${e}`)]);
}

/**
 * The closing summary: each check with its evidence, the figures, the verdict and the lab's state.
 * `failoverFigures: false` leaves out the figures measured from the first fault (a chaos run has its own).
 */
export function formatSummary(result: RunResult, { failoverFigures = true } = {}): string {
  const f = result.figures;
  const lines = [
    '',
    `scenario ${result.history.meta.scenario}: ${result.verdict.toUpperCase()}${result.interrupted ? ' (interrupted)' : ''} in ${formatSeconds(result.wallMs)}`,
    ...checkLines(result.checks),
    ...result.findings.flatMap((f) => [
      `  ${f.kind === 'observation' ? 'NOTE ' : 'KNOWN'}  ${f.id}: ${f.summary}`,
      ...f.evidence.map((e) => `          ${e}`),
    ]),
    ...(failoverFigures
      ? [
          `  figures: detection ${formatSeconds(f.detectionMs)}, promotion ${formatSeconds(f.promotionMs)}, write downtime ${formatSeconds(f.downtimeMs)}${f.downtimeCause ? ` laid to ${f.downtimeCause}` : ''}${(f.byFault?.length ?? 0) > 1 ? ` (per fault: ${byFaultText(f.byFault)})` : ''}; writes ${f.writesOk} ok, ${f.writesFailed} failed, ${f.writesIndeterminate} indeterminate`,
        ]
      : [`  writes: ${f.writesOk} ok, ${f.writesFailed} failed, ${f.writesIndeterminate} indeterminate`]),
    // A result saved before entry points existed has no per-path figures.
    ...(result.figures.paths ?? []).map(pathLine),
    result.lab.healthy ? '  lab: healthy' : `  lab: NOT healthy: ${result.lab.problems.join('; ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
