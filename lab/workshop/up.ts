/** `lab workshop up`: isolation first, the seat image on every engine, then every seat (bounded per engine), one line each. */
import pMap from 'p-map';
import { sshAnswers, waitFor } from '../cluster/readiness.js';
import { generateLab } from '../labdir/generate.js';
import { ensureNodeImage } from '../providers/docker/node-image.js';
import { ensureState } from '../providers/docker/state.js';
import type { ProgressListener } from '../providers/provider.js';
import { saveWorkshop, type Workshop } from './directory.js';
import { connectEngines, copyImage, type Engine } from './engines.js';
import { applyIsolation } from './isolation.js';
import { SeatBoard } from './progress.js';
import { ensureSeatImage } from './seat-image.js';
import { openSeat, upSeat } from './seat.js';

export interface UpOutcome {
  seat: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/**
 * The seat image on every engine that has seats: the node image built (or found) on the first such
 * engine from seat 1's lab directory, the ssh layer added there, then copied to the others.
 */
async function prepareImages(
  ws: Workshop,
  engines: readonly Engine[],
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<string> {
  const used = engines.filter((e) => ws.plan.some((s) => s.engine === e.name));
  const home = used[0]!;
  const first = openSeat(ws.spec, ws.dir, ws.plan[0]!, home, 'unused');
  await generateLab(first.ctx);
  const state = await ensureState(first.ctx.dir, first.ctx.spec.name);
  const node = await ensureNodeImage(
    { docker: home.docker, spec: first.ctx.spec, dir: first.ctx.dir, labId: state.labId },
    { signal, onProgress },
  );
  const seatImage = await ensureSeatImage(home.docker, node.tag, state.labId, { signal, onProgress });
  for (const e of used.slice(1)) {
    const started = Date.now();
    const copied = await copyImage(home.docker, e.docker, seatImage.tag);
    onProgress?.({
      node: null,
      task: `seat image copied to ${e.name}`,
      status: copied ? 'ok' : 'skip',
      elapsedMs: Date.now() - started,
    });
  }
  return seatImage.tag;
}

export async function upWorkshop(
  ws: Workshop,
  options: { signal?: AbortSignal; onProgress?: ProgressListener; out?: NodeJS.WriteStream } = {},
): Promise<UpOutcome[]> {
  await saveWorkshop(ws);
  const engines = await connectEngines(ws.spec.engines, ws.baseDir);
  await applyIsolation(
    ws.spec.name,
    ws.spec.pool,
    ws.plan.map((s) => s.subnet),
  );
  const image = await prepareImages(ws, engines, options.onProgress, options.signal);
  const board = new SeatBoard(
    ws.plan.map((s) => ({ id: s.id, engine: s.engine })),
    options.out,
  );
  const outcomes: UpOutcome[] = [];
  await Promise.all(
    engines.map((engine) =>
      pMap(
        ws.plan.filter((s) => s.engine === engine.name),
        async (plan) => {
          const started = Date.now();
          const seat = openSeat(ws.spec, ws.dir, plan, engine, image);
          try {
            const r = await upSeat(seat, { signal: options.signal, onProgress: board.listener(plan.id) });
            await waitFor(sshAnswers(ws.spec.publishAddress, plan.sshPort, 30_000), { signal: options.signal });
            const detail = `ready at stage ${ws.spec.stage}${r.fromSnapshot ? ' (from its snapshot)' : ''}; ssh root@${ws.spec.publishAddress} -p ${plan.sshPort}`;
            board.update(plan.id, detail);
            outcomes.push({ seat: plan.id, ok: true, detail, ms: Date.now() - started });
          } catch (e) {
            const detail = `FAILED: ${e instanceof Error ? e.message : String(e)}`;
            board.update(plan.id, detail);
            outcomes.push({ seat: plan.id, ok: false, detail, ms: Date.now() - started });
            // One seat's failure is its line; an interrupt ends them all.
            if (options.signal?.aborted) throw e;
          }
        },
        { concurrency: engine.concurrency },
      ),
    ),
  );
  options.signal?.throwIfAborted();
  return outcomes.sort((a, b) => a.seat.localeCompare(b.seat));
}
