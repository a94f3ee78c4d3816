/**
 * Task progress for `lab up`: one line per task start and end, with the time since `up` began and
 * each task's own duration; a failed task's output tail indented under it. Plain lines (no cursor
 * movement) so the same text reads well on a terminal, in CI logs and in a pipe.
 */
import { formatSeconds } from '../clock.js';
import type { ProgressEvent } from '../providers/provider.js';

const COLORS = { ok: '\x1b[32m', fail: '\x1b[31m', skip: '\x1b[2m', start: '' } as const;
const RESET = '\x1b[0m';

/** One event as text (without a trailing newline); `sinceMs` is the time since the run began. Pure. */
export function formatProgressEvent(event: ProgressEvent, sinceMs: number, color = false): string {
  const where = (event.node ?? 'lab').padEnd(8);
  const took = event.elapsedMs !== undefined ? ` (${formatSeconds(event.elapsedMs)})` : '';
  const verdict = { start: '...', ok: 'ok', fail: 'FAILED', skip: 'skipped' }[event.status];
  const paint = (s: string): string => (color && COLORS[event.status] ? `${COLORS[event.status]}${s}${RESET}` : s);
  let line = `[${formatSeconds(sinceMs).padStart(8)}] ${where} ${event.task} ${paint(verdict)}${took}`;
  if (event.status === 'fail' && event.output)
    line +=
      '\n' +
      event.output
        .split('\n')
        .map((l) => `            | ${l}`)
        .join('\n');
  return line;
}

/** A task listener writing to out (stdout by default), colored on a terminal. */
export function progressPrinter(out: NodeJS.WriteStream = process.stdout): (event: ProgressEvent) => void {
  const started = Date.now();
  const color = Boolean(out.isTTY) && !process.env.NO_COLOR;
  return (event) => {
    out.write(formatProgressEvent(event, Date.now() - started, color) + '\n');
  };
}
