/**
 * The History's list-append transactions in elle-cli's JSON shape, so a run can be checked by Elle
 * itself and the verdicts compared (docs/anomalies.md): an array of operations, each with index,
 * process, type (invoke, ok, fail, info), f "txn", value (["append", k, v] and ["r", k, list|null])
 * and time in nanoseconds. Everything else in the History is left out. Pure.
 */
import type { History } from '../scenarios/history/history.js';

export function elleHistory(history: History): string {
  const ops = history.events.flatMap((e) => (e.kind === 'txn' ? [e] : []));
  const lines = ops.map((e, index) =>
    JSON.stringify({ index, time: e.t * 1_000_000, type: e.phase, process: e.process, f: 'txn', value: e.ops }),
  );
  return `[${lines.join(',\n ')}]\n`;
}
