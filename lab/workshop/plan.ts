/**
 * Where each seat goes and what it is called: pure, from the workshop spec alone, so `up`, `status`,
 * `reset`, `down` and the handouts agree without asking any engine.
 */
import { nthSubnet } from '../net.js';
import { engineSeatCapacity, SEAT_PREFIX, type WorkshopSpec } from '../spec/workshop.js';

export interface SeatPlan {
  /** 1-based seat number. */
  seat: number;
  /** `s01`: what the trainer and the commands call the seat. */
  id: string;
  /** The seat's lab name, `<workshop>-s01`: every object of the seat carries it. */
  labName: string;
  engine: string;
  /** The seat's network: block `seat` of the pool, so no two seats overlap on any engine. */
  subnet: string;
  /** Host port of the seat's ssh on the publish address. */
  sshPort: number;
}

export const seatId = (seat: number): string => `s${String(seat).padStart(2, '0')}`;

/**
 * Seats in order, each on the engine with the most free seats left (the first on a tie), so a class
 * spreads over the engines instead of filling one. The spec's validation has checked they fit.
 */
export function planSeats(
  spec: Pick<WorkshopSpec, 'name' | 'seats' | 'pool' | 'engines' | 'nodesPerSeat' | 'nodeMemoryMiB' | 'sshPortBase'>,
): SeatPlan[] {
  const free = spec.engines.map((e) => engineSeatCapacity(e, spec.nodesPerSeat, spec.nodeMemoryMiB));
  return Array.from({ length: spec.seats }, (_, i) => {
    const seat = i + 1;
    const e = free.indexOf(Math.max(...free));
    if (free[e]! <= 0) throw new Error(`no engine has room for seat ${seat}`);
    free[e]! -= 1;
    return {
      seat,
      id: seatId(seat),
      labName: `${spec.name}-${seatId(seat)}`,
      engine: spec.engines[e]!.name,
      subnet: nthSubnet(spec.pool, SEAT_PREFIX, seat),
      sshPort: spec.sshPortBase + seat,
    };
  });
}

/** The seat a trainer names (`s02`, `2` or `<workshop>-s02`), or undefined. Pure. */
export function findSeat(plan: readonly SeatPlan[], name: string): SeatPlan | undefined {
  return plan.find((s) => s.id === name || s.labName === name || String(s.seat) === name.replace(/^0+/, ''));
}
