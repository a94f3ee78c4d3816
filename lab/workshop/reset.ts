/** `lab workshop reset SEAT`: the seat back at its starting stage from its snapshot. */
import { sshAnswers, waitFor } from '../cluster/readiness.js';
import { ExitCode, LabError } from '../errors.js';
import type { ProgressListener } from '../providers/provider.js';
import type { Workshop } from './directory.js';
import { connectEngines } from './engines.js';
import { findSeat } from './plan.js';
import { openSeat, resetSeat, type Seat } from './seat.js';

/** Returns the seat and how long its reset took, its ssh answering again. */
export async function resetWorkshopSeat(
  ws: Workshop,
  name: string,
  options: { signal?: AbortSignal; onProgress?: ProgressListener } = {},
): Promise<{ seat: Seat; ms: number }> {
  const plan = findSeat(ws.plan, name);
  if (!plan)
    throw new LabError(`no seat named ${name}`, ExitCode.badInput, `the seats are ${ws.plan.map((s) => s.id).join(', ')}`);
  const engines = await connectEngines(
    ws.spec.engines.filter((e) => e.name === plan.engine),
    ws.baseDir,
  );
  const seat = openSeat(ws.spec, ws.dir, plan, engines[0]!, 'unused');
  const started = Date.now();
  await resetSeat(seat, options);
  await waitFor(sshAnswers(ws.spec.publishAddress, plan.sshPort, 30_000), { signal: options.signal });
  return { seat, ms: Date.now() - started };
}
