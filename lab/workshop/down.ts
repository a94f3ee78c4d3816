/**
 * `lab workshop down`: every seat on every engine, found by label alone (an `up` killed early may
 * have written no seat directory), the isolation chain, and the seats' state.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { LABEL_LAB, LABEL_ROLE, type LabelSelector } from '../providers/docker/naming.js';
import { labelled, reap, type ObjectKind, type ReaperEngine } from '../providers/docker/reaper.js';
import type { Workshop } from './directory.js';
import { connectEngines } from './engines.js';
import { removeIsolation } from './isolation.js';
import { readSeatState, seatDir, writeSeatState } from './seat.js';

/**
 * What a workshop's seats leave on an engine, as two sweeps: each seat's lab objects, whose lab ids
 * are `<workshop>-sNN-<hash>`, and its snapshots. The node image a seat's lab built stays as a
 * cache, as `lab down` keeps it.
 */
export function seatSweeps(workshop: string): { selector: LabelSelector; kinds: ObjectKind[] }[] {
  const seat = new RegExp(`^${workshop}-s\\d{2}-[0-9a-f]{6}$`);
  const ofSeat = (labId: string): boolean => seat.test(labId);
  return [
    { selector: { [LABEL_LAB]: ofSeat }, kinds: ['container', 'network', 'volume'] },
    { selector: { [LABEL_LAB]: ofSeat, [LABEL_ROLE]: 'seat-image' }, kinds: ['image'] },
  ];
}

/** Every object of the workshop's seats on an engine. */
export async function labelledSeatObjects(engine: ReaperEngine, workshop: string): Promise<string[]> {
  const found = await Promise.all(seatSweeps(workshop).map((s) => labelled(engine, s.selector, s.kinds)));
  return found.flat();
}

export async function downWorkshop(ws: Workshop): Promise<{ removed: string[]; left: string[] }> {
  const engines = await connectEngines(ws.spec.engines, ws.baseDir);
  const removed: string[] = [];
  const left: string[] = [];
  for (const engine of engines) {
    for (const sweep of seatSweeps(ws.spec.name)) {
      // A seat's snapshots are its own, even when a reset's containers still use them.
      const reaped = await reap(engine.docker, sweep.selector, sweep.kinds, { forceImages: true });
      removed.push(...reaped.removed.map((r) => `${engine.name}: ${r}`));
    }
    left.push(...(await labelledSeatObjects(engine.docker, ws.spec.name)).map((o) => `${engine.name}: ${o}`));
  }
  await removeIsolation(ws.spec.name);
  // The seats' snapshots are gone: their state must not promise one.
  const seats = await readdir(path.join(ws.dir, 'seats')).catch(() => [] as string[]);
  for (const plan of ws.plan.filter((p) => seats.includes(p.id))) {
    const state = await readSeatState(seatDir(ws.dir, plan));
    if (state) await writeSeatState(seatDir(ws.dir, plan), { ...state, snapshot: null, checkpoints: [] });
  }
  return { removed, left };
}
