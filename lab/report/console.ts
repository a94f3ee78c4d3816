/**
 * The live timeline: one line per thing worth seeing while a scenario runs (steps, faults, heals,
 * a node changing state, writes starting to fail or coming back), not one per sample.
 */
import type { HistoryEvent, WriteEvent } from '../scenarios/history.js';
import type { RunResult } from '../scenarios/engine.js';
import { formatSeconds } from '../clock.js';
import { describeSample } from './labels.js';

const stamp = (t: number) => formatSeconds(t).padStart(9);
const who = (label: string) => label.padEnd(8);

/** A write that was not acknowledged, as a person reads it. */
function unacknowledged(e: WriteEvent): string {
  const how = e.phase === 'fail' ? 'failing' : 'outcome unknown';
  return `${how} on ${e.node} (${e.errorClass ?? 'other'}): ${e.error ?? ''}`;
}

/** A listener for HistoryRecorder.onEvent that prints through `write`. */
export function liveTimeline(write: (line: string) => void): (event: HistoryEvent) => void {
  const nodeState = new Map<string, string>();
  // The latest outcome, and since when writes have (or have not) been acknowledged.
  let writes: { phase: WriteEvent['phase']; since: number } | undefined;
  return (e) => {
    switch (e.kind) {
      case 'sample': {
        const now = describeSample(e);
        const before = nodeState.get(e.node);
        if (now !== before) write(`${stamp(e.t)}  ${who(e.node)}${before ? `${before} -> ` : ''}${now}`);
        nodeState.set(e.node, now);
        return;
      }
      case 'write': {
        if (e.phase === 'invoke' || e.phase === writes?.phase) return;
        const ok = e.phase === 'ok';
        if (!writes) write(`${stamp(e.t)}  ${who('writes')}${ok ? `first write acknowledged by ${e.node}` : unacknowledged(e)}`);
        else write(`${stamp(e.t)}  ${who('writes')}${ok ? `acknowledged again by ${e.node} after ${formatSeconds(e.t - writes.since)} without an acknowledgement` : unacknowledged(e)}`);
        const wasOk = writes?.phase === 'ok';
        writes = { phase: e.phase, since: writes && wasOk === ok ? writes.since : e.t };
        return;
      }
      case 'fault':
        write(`${stamp(e.t)}  ${who('FAULT')}${e.fault} on ${e.node}${e.detail ? ` (${e.detail})` : ''}`);
        return;
      case 'heal':
        write(`${stamp(e.t)}  ${who('HEAL')}${e.fault} on ${e.node}: ${e.ok ? '' : 'FAILED: '}${e.detail ?? ''}`);
        return;
      case 'step':
        write(`${stamp(e.t)}  ${who(`step ${e.index + 1}`)}${e.status === 'start' ? e.step : `${e.status}${e.detail ? `: ${e.detail}` : ''}`}`);
        return;
      case 'final-read':
        write(`${stamp(e.t)}  ${who('writes')}${e.seqs.length} rows read back from ${e.node}`);
        return;
      case 'log':
        write(`${stamp(e.t)}  ${who(e.node)}${e.source}: ${e.line}`);
        return;
    }
  };
}

const MARK = { pass: 'PASS', fail: 'FAIL', unknown: '????' } as const;

/**
 * The closing summary: each check with its evidence, the figures, the verdict and the lab's state.
 * `failoverFigures: false` leaves out the figures measured from the first fault (a chaos run has its own).
 */
export function formatSummary(result: RunResult, { failoverFigures = true } = {}): string {
  const f = result.figures;
  const lines = [
    '',
    `scenario ${result.history.meta.scenario}: ${result.verdict.toUpperCase()}${result.interrupted ? ' (interrupted)' : ''} in ${formatSeconds(result.wallMs)}`,
    ...result.checks.flatMap((c) => [`  ${MARK[c.status]}  ${c.name}: ${c.summary}`, ...c.evidence.map((e) => `          ${e}`)]),
    ...result.findings.flatMap((f) => [`  KNOWN  ${f.id}: ${f.summary}`, ...f.evidence.map((e) => `          ${e}`)]),
    ...(failoverFigures
      ? [`  figures: detection ${formatSeconds(f.detectionMs)}, promotion ${formatSeconds(f.promotionMs)}, write downtime ${formatSeconds(f.downtimeMs)}; writes ${f.writesOk} ok, ${f.writesFailed} failed, ${f.writesIndeterminate} indeterminate`]
      : [`  writes: ${f.writesOk} ok, ${f.writesFailed} failed, ${f.writesIndeterminate} indeterminate`]),
    result.lab.healthy ? '  lab: healthy' : `  lab: NOT healthy: ${result.lab.problems.join('; ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
