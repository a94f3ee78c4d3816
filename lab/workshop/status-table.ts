/** `lab workshop status` as a table, one row a seat (pure). */
import type { Stage } from '../spec/workshop.js';
import { CHECKPOINTS, GIVEN_BY_STAGE } from './checkpoints.js';
import type { SeatStatus, WorkshopStatus } from './status.js';

/** Healthy is what the attendee builds below stage full: before a leader it is "not yet", not a fault. */
function healthCell(s: SeatStatus, stage: Stage): string {
  if (s.healthy) return 'yes';
  return stage !== 'full' && !s.problem && !s.checkpoints.includes('leader') ? 'not yet' : 'no';
}

export function formatWorkshopStatus(status: WorkshopStatus): string {
  const header = ['seat', 'engine', 'ssh', 'nodes', 'healthy', ...CHECKPOINTS, 'since change'];
  const rows = status.seats.map((s) => [
    s.seat,
    s.engine,
    s.ssh,
    `${s.running}/${s.nodes}`,
    healthCell(s, status.stage),
    ...CHECKPOINTS.map((c) => (GIVEN_BY_STAGE[status.stage].includes(c) ? 'n/a' : s.checkpoints.includes(c) ? 'yes' : '-')),
    s.sinceChangeS === null ? '-' : `${s.sinceChangeS}s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const problems = status.seats.filter((s) => s.problem).map((s) => `  ${s.seat}: ${s.problem}`);
  return (
    [
      `workshop ${status.workshop} (seats start at stage ${status.stage})`,
      status.isolation.length === 0
        ? 'isolation: every rule in place'
        : `isolation BROKEN:\n${status.isolation.map((p) => `  ${p}`).join('\n')}`,
      line(header),
      ...rows.map(line),
      ...(problems.length ? ['problems:', ...problems] : []),
    ].join('\n') + '\n'
  );
}
