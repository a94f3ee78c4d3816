/**
 * A workshop: its spec, its directory (workshops/<name>/: workshop.json and one lab directory per
 * seat), its engines and its seats; and what `lab workshop up|status|reset|down` do with them.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { ExitCode, LabError } from '../errors.js';
import { generateLab } from '../labdir/generate.js';
import { LABEL_LAB, LABEL_ROLE } from '../providers/docker/naming.js';
import { ensureNodeImage } from '../providers/docker/node-image.js';
import { ensureState } from '../providers/docker/state.js';
import type { ProgressListener } from '../providers/provider.js';
import { loadWorkshop, type WorkshopSpec } from '../spec/workshop.js';
import { CHECKPOINTS, probeCheckpoints, type Checkpoint, type SeatProbe } from './checkpoints.js';
import { connectEngines, copyImage, type Engine } from './engines.js';
import { applyIsolation, isolationProblems, removeIsolation } from './isolation.js';
import { findSeat, planSeats, type SeatPlan } from './plan.js';
import { SeatBoard } from './progress.js';
import { ensureSeatImage } from './seat-image.js';
import { openSeat, readSeatState, removeSeatObjects, resetSeat, seatDir, upSeat, waitForSsh, writeSeatState, type Seat } from './seat.js';

/** The resolved spec as last brought up: `status`, `reset`, `down` and `handout` read it, not workshop.yaml. */
const WORKSHOP_FILE = 'workshop.json';

export interface Workshop {
  spec: WorkshopSpec;
  dir: string;
  plan: SeatPlan[];
  /** Where relative engine paths (TLS directories) are read from. */
  baseDir: string;
}

export const defaultWorkshopDir = (name: string): string => path.resolve('workshops', name);

/** From workshop.yaml: for `up` (and `handout` before any `up`). */
export async function workshopFromFile(file: string, dir?: string): Promise<{ workshop: Workshop; warnings: string[] }> {
  const { spec, warnings } = await loadWorkshop(file);
  return { workshop: { spec, dir: dir ? path.resolve(dir) : defaultWorkshopDir(spec.name), plan: planSeats(spec), baseDir: path.dirname(path.resolve(file)) }, warnings };
}

/** From the workshop directory's own workshop.json, so a changed workshop.yaml cannot orphan seats. */
export async function workshopFromDir(file: string, dir?: string): Promise<Workshop> {
  const where = await workshopDir(file, dir);
  const saved = await savedWorkshop(where);
  if (!saved) throw new LabError(`no workshop in ${where}`, ExitCode.badInput, 'run `lab workshop up` first, or pass --dir');
  return saved;
}

/**
 * For `down`: the directory's workshop, or else workshop.yaml's. Seats are found by label, so a down
 * must also reach those of an `up` whose directory is gone or was never written (killed early, or
 * a deleted checkout).
 */
export async function workshopForDown(file: string, dir?: string): Promise<Workshop> {
  return (await savedWorkshop(await workshopDir(file, dir))) ?? (await workshopFromFile(file, dir)).workshop;
}

/** The workshop directory: --dir, else workshops/<name from workshop.yaml>. */
async function workshopDir(file: string, dir?: string): Promise<string> {
  return dir ? path.resolve(dir) : defaultWorkshopDir((await loadWorkshop(file)).spec.name);
}

async function savedWorkshop(where: string): Promise<Workshop | undefined> {
  let saved: { spec: WorkshopSpec; baseDir: string };
  try {
    saved = JSON.parse(await readFile(path.join(where, WORKSHOP_FILE), 'utf8')) as typeof saved;
  } catch {
    return undefined;
  }
  return { spec: saved.spec, dir: where, plan: planSeats(saved.spec), baseDir: saved.baseDir };
}

/** Runs fn over items, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<PromiseSettledResult<void>[]> {
  const results: PromiseSettledResult<void>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function engineOf(engines: readonly Engine[], name: string): Engine {
  const engine = engines.find((e) => e.name === name);
  if (!engine) throw new LabError(`no engine named ${name}`, ExitCode.badInput);
  return engine;
}

/**
 * The seat image on every engine that has seats: the node image built (or found) on the first such
 * engine from seat 1's lab directory, the ssh layer added there, then copied to the others.
 */
async function prepareImages(ws: Workshop, engines: readonly Engine[], onProgress?: ProgressListener, signal?: AbortSignal): Promise<string> {
  const used = engines.filter((e) => ws.plan.some((s) => s.engine === e.name));
  const home = used[0]!;
  const first = openSeat(ws.spec, ws.dir, ws.plan[0]!, home, 'unused');
  await generateLab(first.ctx);
  const state = await ensureState(first.ctx.dir, first.ctx.spec.name);
  const node = await ensureNodeImage({ docker: home.docker, spec: first.ctx.spec, dir: first.ctx.dir, labId: state.labId }, { signal, onProgress });
  const seatImage = await ensureSeatImage(home.docker, node.tag, signal);
  onProgress?.({ node: null, task: `seat image ${seatImage.tag} on ${home.name}`, status: seatImage.built ? 'ok' : 'skip' });
  for (const e of used.slice(1)) {
    const started = Date.now();
    const copied = await copyImage(home.docker, e.docker, seatImage.tag);
    onProgress?.({ node: null, task: `seat image copied to ${e.name}`, status: copied ? 'ok' : 'skip', elapsedMs: Date.now() - started });
  }
  return seatImage.tag;
}

export interface UpOutcome {
  seat: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/** `lab workshop up`: isolation first, images, then every seat (bounded per engine), one line each. */
export async function upWorkshop(ws: Workshop, options: { signal?: AbortSignal; onProgress?: ProgressListener; out?: NodeJS.WriteStream } = {}): Promise<UpOutcome[]> {
  await mkdir(ws.dir, { recursive: true });
  // Written before any object exists: `down` after a crash or Ctrl-C finds every seat from it.
  await writeFile(path.join(ws.dir, WORKSHOP_FILE), JSON.stringify({ spec: ws.spec, baseDir: ws.baseDir }, null, 2) + '\n');
  const engines = await connectEngines(ws.spec.engines, ws.baseDir);
  await applyIsolation(ws.spec.name, ws.spec.pool, ws.plan.map((s) => s.subnet));
  const image = await prepareImages(ws, engines, options.onProgress, options.signal);
  const board = new SeatBoard(ws.plan.map((s) => ({ id: s.id, engine: s.engine })), options.out);
  const outcomes: UpOutcome[] = [];
  await Promise.all(
    engines.map((engine) =>
      eachLimited(
        ws.plan.filter((s) => s.engine === engine.name),
        engine.concurrency,
        async (plan) => {
          const started = Date.now();
          const seat = openSeat(ws.spec, ws.dir, plan, engine, image);
          try {
            const r = await upSeat(seat, { signal: options.signal, onProgress: board.listener(plan.id) });
            await waitForSsh(ws.spec.publishAddress, plan.sshPort, 30_000, options.signal);
            const detail = `ready at stage ${ws.spec.stage}${r.fromSnapshot ? ' (from its snapshot)' : ''}; ssh root@${ws.spec.publishAddress} -p ${plan.sshPort}`;
            board.update(plan.id, detail);
            outcomes.push({ seat: plan.id, ok: true, detail, ms: Date.now() - started });
          } catch (e) {
            const detail = `FAILED: ${e instanceof Error ? e.message : String(e)}`;
            board.update(plan.id, detail);
            outcomes.push({ seat: plan.id, ok: false, detail, ms: Date.now() - started });
            if (options.signal?.aborted) throw e;
          }
        },
      ),
    ),
  );
  options.signal?.throwIfAborted();
  return outcomes.sort((a, b) => a.seat.localeCompare(b.seat));
}

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
  stage: string;
  isolation: string[];
  seats: SeatStatus[];
}

/** One look at every seat (in parallel), its checkpoints recorded with the time they last changed. */
export async function workshopStatus(ws: Workshop, now: () => number = Date.now): Promise<WorkshopStatus> {
  const engines = await connectEngines(ws.spec.engines, ws.baseDir);
  const isolation = await isolationProblems(ws.spec.name, ws.spec.pool, ws.plan.map((s) => s.subnet));
  const seats = await Promise.all(
    ws.plan.map(async (plan): Promise<SeatStatus> => {
      const base = { seat: plan.id, engine: plan.engine, subnet: plan.subnet, ssh: `${ws.spec.publishAddress}:${plan.sshPort}`, nodes: ws.spec.nodesPerSeat };
      const seat = openSeat(ws.spec, ws.dir, plan, engineOf(engines, plan.engine), 'unused');
      const state = await readSeatState(seat.ctx.dir);
      if (!state) return { ...base, running: 0, healthy: false, checkpoints: [], sinceChangeS: null, problem: 'never brought up' };
      let probe: SeatProbe;
      try {
        probe = await probeCheckpoints(seat.provider, seat.ctx.spec, seat.ctx.dir);
      } catch (e) {
        return { ...base, running: 0, healthy: false, checkpoints: [], sinceChangeS: null, problem: e instanceof Error ? e.message : String(e) };
      }
      let changedAt = state.changedAt;
      if (probe.checkpoints.join() !== state.checkpoints.join()) {
        changedAt = new Date(now()).toISOString();
        await writeSeatState(seat.ctx.dir, { ...state, checkpoints: probe.checkpoints, changedAt });
      }
      return { ...base, running: probe.running, healthy: probe.health.healthy, checkpoints: probe.checkpoints, sinceChangeS: Math.round((now() - Date.parse(changedAt)) / 1000) };
    }),
  );
  return { workshop: ws.spec.name, stage: ws.spec.stage, isolation, seats };
}

/** The status as a table (pure). */
export function formatWorkshopStatus(status: WorkshopStatus): string {
  const header = ['seat', 'engine', 'ssh', 'nodes', 'healthy', ...CHECKPOINTS, 'since change'];
  const rows = status.seats.map((s) => [
    s.seat,
    s.engine,
    s.ssh,
    `${s.running}/${s.nodes}`,
    s.healthy ? 'yes' : 'no',
    ...CHECKPOINTS.map((c) => (s.checkpoints.includes(c) ? 'yes' : '-')),
    s.sinceChangeS === null ? '-' : `${s.sinceChangeS}s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const problems = status.seats.filter((s) => s.problem).map((s) => `  ${s.seat}: ${s.problem}`);
  return [
    `workshop ${status.workshop} (seats start at stage ${status.stage})`,
    status.isolation.length === 0 ? 'isolation: every rule in place' : `isolation BROKEN:\n${status.isolation.map((p) => `  ${p}`).join('\n')}`,
    line(header),
    ...rows.map(line),
    ...(problems.length ? ['problems:', ...problems] : []),
  ].join('\n') + '\n';
}

/** `lab workshop reset SEAT`: the seat back at its starting stage from its snapshot; returns how long it took. */
export async function resetWorkshopSeat(ws: Workshop, name: string, options: { signal?: AbortSignal; onProgress?: ProgressListener } = {}): Promise<{ seat: Seat; ms: number }> {
  const plan = findSeat(ws.plan, name);
  if (!plan) throw new LabError(`no seat named ${name}`, ExitCode.badInput, `the seats are ${ws.plan.map((s) => s.id).join(', ')}`);
  const engines = await connectEngines(ws.spec.engines.filter((e) => e.name === plan.engine), ws.baseDir);
  const seat = openSeat(ws.spec, ws.dir, plan, engines[0]!, 'unused');
  const started = Date.now();
  await resetSeat(seat, options);
  await waitForSsh(ws.spec.publishAddress, plan.sshPort, 30_000, options.signal);
  return { seat, ms: Date.now() - started };
}

/** Lab ids of the workshop's seats, as their labels carry them: `<workshop>-sNN-<hash>`. */
const seatLabelPattern = (workshop: string): RegExp => new RegExp(`^${workshop}-s\\d{2}-[0-9a-f]{6}$`);

/** Every object of the workshop's seats on an engine, found by label alone. */
export async function labelledSeatObjects(docker: Docker, workshop: string): Promise<string[]> {
  const ours = (labels: Record<string, string> | null | undefined): boolean => seatLabelPattern(workshop).test(labels?.[LABEL_LAB] ?? '');
  const filters = { label: [LABEL_LAB] };
  const [containers, networks, volumes, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
    docker.listImages({ filters }),
  ]);
  return [
    ...containers.filter((c) => ours(c.Labels)).map((c) => `container ${c.Names[0] ?? c.Id}`),
    ...networks.filter((n) => ours(n.Labels)).map((n) => `network ${n.Name}`),
    ...(volumes.Volumes ?? []).filter((v) => ours(v.Labels)).map((v) => `volume ${v.Name}`),
    // The node image a seat's lab built stays as a cache, as `lab down` keeps it; snapshots are the seat's.
    ...images.filter((i) => ours(i.Labels) && i.Labels?.[LABEL_ROLE] === 'seat-image').map((i) => `image ${i.RepoTags?.[0] ?? i.Id}`),
  ];
}

/** `lab workshop down`: every seat on every engine (found by label), the isolation chain, the seat directories' state. */
export async function downWorkshop(ws: Workshop): Promise<{ removed: string[]; left: string[] }> {
  const engines = await connectEngines(ws.spec.engines, ws.baseDir);
  const removed: string[] = [];
  const left: string[] = [];
  for (const engine of engines) {
    const docker = engine.docker;
    const filters = { label: [LABEL_LAB] };
    const ids = new Set<string>();
    for (const c of await docker.listContainers({ all: true, filters })) ids.add(c.Labels[LABEL_LAB] ?? '');
    for (const n of await docker.listNetworks({ filters })) ids.add(n.Labels?.[LABEL_LAB] ?? '');
    for (const i of await docker.listImages({ filters: { label: [LABEL_LAB, `${LABEL_ROLE}=seat-image`] } })) ids.add(i.Labels?.[LABEL_LAB] ?? '');
    for (const id of [...ids].filter((id) => seatLabelPattern(ws.spec.name).test(id)).sort()) {
      removed.push(...(await removeSeatObjects(docker, id)).map((r) => `${engine.name}: ${r}`));
    }
    left.push(...(await labelledSeatObjects(docker, ws.spec.name)).map((o) => `${engine.name}: ${o}`));
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
