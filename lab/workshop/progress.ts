/**
 * One progress line per seat while a workshop comes up. On a terminal the block of seat lines is
 * redrawn in place; elsewhere (CI logs, a pipe) a seat's line is printed each time it changes.
 */
import { formatSeconds } from '../clock.js';
import type { ProgressEvent } from '../providers/provider.js';

/** The line a seat shows for a provider or wait event. Pure. */
export function seatLine(seat: string, engine: string, what: string, sinceMs: number): string {
  return `${seat} [${engine}] ${formatSeconds(sinceMs).padStart(7)}  ${what}`;
}

/** What an event says about a seat's progress, in a few words. Pure. */
export function describeEvent(e: ProgressEvent): string {
  const where = e.node ? `${e.node}: ` : '';
  const verdict = { start: '...', ok: 'ok', fail: 'FAILED', skip: 'cached' }[e.status];
  return `${where}${e.task} ${verdict}`;
}

export class SeatBoard {
  private readonly lines = new Map<string, string>();
  private readonly started = Date.now();
  private drawn = 0;

  constructor(
    private readonly seats: readonly { id: string; engine: string }[],
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    for (const s of seats) this.lines.set(s.id, seatLine(s.id, s.engine, 'waiting', 0));
  }

  update(id: string, what: string): void {
    const seat = this.seats.find((s) => s.id === id);
    if (!seat) return;
    const line = seatLine(id, seat.engine, what, Date.now() - this.started);
    this.lines.set(id, line);
    if (!this.out.isTTY) {
      this.out.write(line + '\n');
      return;
    }
    // Up to the first seat line, then every line again, each cleared first.
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    for (const s of this.seats) this.out.write(`\x1b[2K${this.lines.get(s.id)}\n`);
    this.drawn = this.seats.length;
  }

  listener(id: string): (e: ProgressEvent) => void {
    return (e) => this.update(id, describeEvent(e));
  }
}
