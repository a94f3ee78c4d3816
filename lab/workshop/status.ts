/** `lab workshop status`: one look at every seat (in parallel), its checkpoints recorded with the time they last changed. */
import type { Stage } from '../spec/workshop.js';
import { ExitCode, LabError } from '../errors.js';
import { probeCheckpoints, type Checkpoint, type SeatProbe } from './checkpoints.js';
import type { Workshop } from './directory.js';
import { connectEngines, type Engine } from './engines.js';
import { isolationProblems } from './isolation.js';
import { openSeat, readSeatState, writeSeatState } from './seat.js';

export interface SeatStatus {
  seat: string;
  engine: string;
  subnet: string;
  ssh: string;
  running: number;
  nodes: number;
  healthy: boolean;
  checkpoints: Checkpoint[];
  /** Seconds since the checkpoints last changed (or the seat was created or reset). */
  sinceChangeS: number | null;
  problem?: string;
}

export interface WorkshopStatus {
  workshop: string;
  stage: Stage;
  isolation: string[];
  seats: SeatStatus[];
}

function engineOf(engines: readonly Engine[], name: string): Engine {
  const engine = engines.find((e) => e.name === name);
  if (!engine) throw new LabError(`no engine named ${name}`, ExitCode.badInput);
  return engine;
}

export async function workshopStatus(ws: Workshop, now: () => number = Date.now): Promise<WorkshopStatus> {
  const engines = await connectEngines(ws.spec.engines, ws.baseDir);
  const isolation = await isolationProblems(
    ws.spec.name,
    ws.spec.pool,
    ws.plan.map((s) => s.subnet),
  );
  const seats = await Promise.all(
    ws.plan.map(async (plan): Promise<SeatStatus> => {
      const base = {
        seat: plan.id,
        engine: plan.engine,
        subnet: plan.subnet,
        ssh: `${ws.spec.publishAddress}:${plan.sshPort}`,
        nodes: ws.spec.nodesPerSeat,
      };
      const seat = openSeat(ws.spec, ws.dir, plan, engineOf(engines, plan.engine), 'unused');
      const state = await readSeatState(seat.ctx.dir);
      if (!state)
        return { ...base, running: 0, healthy: false, checkpoints: [], sinceChangeS: null, problem: 'never brought up' };
      let probe: SeatProbe;
      try {
        probe = await probeCheckpoints(seat.provider, seat.ctx.spec, seat.ctx.dir);
      } catch (e) {
        return {
          ...base,
          running: 0,
          healthy: false,
          checkpoints: [],
          sinceChangeS: null,
          problem: e instanceof Error ? e.message : String(e),
        };
      }
      let changedAt = state.changedAt;
      if (probe.checkpoints.join() !== state.checkpoints.join()) {
        changedAt = new Date(now()).toISOString();
        await writeSeatState(seat.ctx.dir, { ...state, checkpoints: probe.checkpoints, changedAt });
      }
      return {
        ...base,
        running: probe.running,
        healthy: probe.health.healthy,
        checkpoints: probe.checkpoints,
        sinceChangeS: Math.round((now() - Date.parse(changedAt)) / 1000),
      };
    }),
  );
  return { workshop: ws.spec.name, stage: ws.spec.stage, isolation, seats };
}
