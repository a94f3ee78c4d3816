/**
 * One seat: a complete lab of its own (directory, secrets, network, nodes) on its engine, built with
 * the Docker provider's own path, brought to the workshop's stage, given an ssh entry, and committed
 * into images at that stage so a reset recreates it from them in seconds.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { LabAccess } from '../cluster/access.js';
import { etcdFormed, labHealthy, systemdRunning, waitFor } from '../cluster/readiness.js';
import { ExitCode, LabError } from '../errors.js';
import type { LabContext } from '../labdir/context.js';
import { generateLab } from '../labdir/generate.js';
import { freezeContainer } from '../providers/docker/freeze.js';
import { labFilter, labSelector, LABEL_LAB, LABEL_NODE, LABEL_ROLE, type DockerLab } from '../providers/docker/naming.js';
import { ensureNetwork, ensureNodeContainer } from '../providers/docker/objects.js';
import { reap } from '../providers/docker/reaper.js';
import { DockerProvider } from '../providers/docker/provider.js';
import { imageId } from '../providers/docker/pull.js';
import { ensureState } from '../providers/docker/state.js';
import type { ProgressListener } from '../providers/provider.js';
import { validateSpec } from '../spec/parse.js';
import type { LabSpec } from '../spec/schema.js';
import { seatLabValue, type Stage, type WorkshopSpec } from '../spec/workshop.js';
import type { Checkpoint } from './checkpoints.js';
import type { Engine } from './engines.js';
import type { SeatPlan } from './plan.js';

/** The ssh port inside node1, published on the workshop's address. */
export const SSH_PORT = 22;
export const SEAT_IMAGE_SNAPSHOT_REPO = 'pgha-lab/seat';
const SEAT_FILE = 'seat.json';
/** A seat's login password before the seat exists: handouts are printed the day before a class. */
const PASSWORD_FILE = 'password';

/** What the workshop keeps per seat (seats/<id>/seat.json, 0600: it holds the login password). */
export interface SeatState {
  password: string;
  /** Node -> image the seat's node was committed into at its stage (set once the seat first reached it). */
  snapshot: Record<string, string> | null;
  checkpoints: Checkpoint[];
  /** When the checkpoints last changed (or the seat was created or reset), ISO time. */
  changedAt: string;
}

export interface Seat {
  plan: SeatPlan;
  engine: Engine;
  ctx: LabContext;
  provider: DockerProvider;
  stage: Stage;
  publishAddress: string;
  seatImage: string;
}

export const seatDir = (workshopDir: string, plan: SeatPlan): string => path.join(workshopDir, 'seats', plan.id);

/** The provisioning script a stage ends with. */
const LAST_SCRIPT: Record<Stage, 'packages' | 'etcd' | 'patroni'> = { packages: 'packages', etcd: 'etcd', full: 'patroni' };

/** The seat's lab: the workshop's, with the seat's name and subnet (the workshop's validation has checked it). */
export function seatSpec(ws: Pick<WorkshopSpec, 'lab'>, plan: SeatPlan): LabSpec {
  const checked = validateSpec(seatLabValue(ws.lab, plan.labName, plan.subnet));
  if (!checked.spec)
    throw new LabError(
      `seat ${plan.id}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      ExitCode.badInput,
    );
  return checked.spec;
}

export function openSeat(ws: WorkshopSpec, workshopDir: string, plan: SeatPlan, engine: Engine, seatImage: string): Seat {
  const ctx: LabContext = { spec: seatSpec(ws, plan), dir: seatDir(workshopDir, plan), warnings: [] };
  const provider = new DockerProvider(ctx, engine.docker, {
    nodeImage: seatImage,
    lastScript: LAST_SCRIPT[ws.stage],
    extraPorts: [{ node: ctx.spec.nodes[0]!.name, port: SSH_PORT, hostIp: ws.publishAddress, hostPort: plan.sshPort }],
  });
  return { plan, engine, ctx, provider, stage: ws.stage, publishAddress: ws.publishAddress, seatImage };
}

export async function readSeatState(dir: string): Promise<SeatState | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, SEAT_FILE), 'utf8')) as SeatState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function writeSeatState(dir: string, state: SeatState): Promise<void> {
  const file = path.join(dir, SEAT_FILE);
  await writeFile(`${file}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/**
 * The seat's login password, made once and kept: the one its state holds once it is up, else the one
 * a handout printed before it was (seats/<id>/password, 0600), else a new one, kept there.
 */
export async function seatPassword(dir: string): Promise<string> {
  const state = await readSeatState(dir);
  if (state) return state.password;
  const file = path.join(dir, PASSWORD_FILE);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const password = randomBytes(12).toString('base64url');
  await mkdir(dir, { recursive: true });
  // 'wx': two commands making it at once keep the first one's.
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  return (await readFile(file, 'utf8')).trim();
}

async function dockerLab(seat: Seat): Promise<DockerLab> {
  const labId = await seat.provider.labId();
  return {
    docker: seat.engine.docker,
    spec: seat.ctx.spec,
    dir: seat.ctx.dir,
    labId,
    nodeImage: seat.seatImage,
    extraPorts: [
      { node: seat.ctx.spec.nodes[0]!.name, port: SSH_PORT, hostIp: seat.publishAddress, hostPort: seat.plan.sshPort },
    ],
  };
}

/** Waits until the seat is what its stage promises: nodes booted; etcd formed; or the lab healthy. */
async function waitForStage(seat: Seat, options: { signal?: AbortSignal; onProgress?: ProgressListener }): Promise<void> {
  await waitFor(systemdRunning(seat.provider, seat.ctx.spec, 120_000), options);
  if (seat.stage === 'etcd') await waitFor(etcdFormed(seat.provider, seat.ctx.spec, 120_000), options);
  if (seat.stage === 'full') {
    const access = await LabAccess.forLab(seat.provider, seat.ctx.dir);
    try {
      await waitFor(labHealthy(access, seat.ctx.spec, 240_000), options);
    } finally {
      await access.close();
    }
  }
}

/**
 * Root's password on every node, each node's own host keys, and a key on node1 that every node
 * accepts, so `ssh node2` from node1 needs nothing more. sshd is (re)started with the new keys.
 */
async function setUpAccess(seat: Seat, password: string): Promise<void> {
  const nodes = seat.ctx.spec.nodes.map((n) => n.name);
  const first = nodes[0]!;
  const run = async (node: string, script: string, input?: string): Promise<string> => {
    const r = await seat.provider.exec(node, ['bash', '-c', script], {
      timeoutMs: 60_000,
      ...(input !== undefined ? { input } : {}),
    });
    if (r.exitCode !== 0)
      throw new LabError(
        `seat ${seat.plan.id}: setting up ssh on ${node} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`,
      );
    return r.stdout;
  };
  const pub = await run(
    first,
    "mkdir -p -m 700 /root/.ssh && { [ -f /root/.ssh/id_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -C root@" +
      first +
      ' -f /root/.ssh/id_ed25519; } && cat /root/.ssh/id_ed25519.pub',
  );
  await Promise.all(
    nodes.map((node) =>
      run(
        node,
        'set -e; read -r line; echo "$line" | chpasswd; read -r key; mkdir -p -m 700 /root/.ssh; grep -qxF "$key" /root/.ssh/authorized_keys 2>/dev/null || echo "$key" >>/root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys; [ -f /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key; systemctl reset-failed ssh 2>/dev/null || true; systemctl enable ssh 2>/dev/null; systemctl restart ssh',
        `root:${password}\n${pub.trim()}\n`,
      ),
    ),
  );
}

const snapshotTag = (labId: string, node: string): string => `${SEAT_IMAGE_SNAPSHOT_REPO}:${labId}-${node}`;

/**
 * Commits every node of the seat at once (all paused, then committed, then resumed) into images
 * labelled with the seat, so the three nodes' disks are from the same moment.
 */
async function snapshotSeat(seat: Seat, lab: DockerLab): Promise<Record<string, string>> {
  const containers = await lab.docker.listContainers({ filters: labFilter(lab.labId, 'node') });
  const byNode = new Map(containers.map((c) => [c.Labels[LABEL_NODE] ?? '', lab.docker.getContainer(c.Id)]));
  const nodes = seat.ctx.spec.nodes.map((n) => n.name);
  try {
    // Inside the try: when one node cannot be frozen, the others are thawed again.
    await Promise.all(nodes.map((n) => freezeContainer(byNode.get(n)!, `${seat.plan.id} ${n}`)));
    const tags = await Promise.all(
      nodes.map(async (n) => {
        const tag = snapshotTag(lab.labId, n);
        await byNode.get(n)!.commit({
          repo: SEAT_IMAGE_SNAPSHOT_REPO,
          tag: tag.slice(SEAT_IMAGE_SNAPSHOT_REPO.length + 1),
          pause: false,
          comment: `pgha-lab workshop seat ${seat.plan.id} at stage ${seat.stage}`,
          changes: ['CMD ["/sbin/init"]', `LABEL ${LABEL_LAB}="${lab.labId}" ${LABEL_ROLE}="seat-image"`],
        });
        return [n, tag] as const;
      }),
    );
    return Object.fromEntries(tags);
  } finally {
    await Promise.all(
      nodes.map((n) =>
        byNode
          .get(n)!
          .unpause()
          .catch(() => undefined),
      ),
    );
  }
}

async function snapshotPresent(docker: Docker, snapshot: Record<string, string> | null): Promise<boolean> {
  if (!snapshot) return false;
  for (const tag of Object.values(snapshot)) if (!(await imageId(docker, tag))) return false;
  return true;
}

/**
 * Brings the seat to its stage: from its snapshot when it has one (a second `up`), else through the
 * provider (generate, network, containers, the stage's provisioners), then ssh, then the snapshot.
 */
export async function upSeat(
  seat: Seat,
  options: { signal?: AbortSignal; onProgress?: ProgressListener } = {},
): Promise<{ fromSnapshot: boolean }> {
  await generateLab(seat.ctx);
  await ensureState(seat.ctx.dir, seat.ctx.spec.name);
  const state = await readSeatState(seat.ctx.dir);
  const password = await seatPassword(seat.ctx.dir);
  const lab = await dockerLab(seat);
  if (state && (await snapshotPresent(lab.docker, state.snapshot))) {
    // A running node keeps what the attendee did to it; only a missing or stopped one comes back from the snapshot.
    await ensureNetwork(lab, options.signal);
    const running = await seat.provider.running();
    for (const node of seat.ctx.spec.nodes.filter((n) => !running.includes(n.name)))
      await ensureNodeContainer(lab, state.snapshot![node.name]!, node, options.signal);
    await waitFor(systemdRunning(seat.provider, seat.ctx.spec, 120_000), options);
    return { fromSnapshot: true };
  }
  await writeSeatState(seat.ctx.dir, { password, snapshot: null, checkpoints: [], changedAt: new Date().toISOString() });
  // The provider's up returns with systemd booted on every node.
  await seat.provider.up(options);
  await setUpAccess(seat, password);
  await waitForStage(seat, options);
  const snapshot = await snapshotSeat(seat, lab);
  await writeSeatState(seat.ctx.dir, { password, snapshot, checkpoints: [], changedAt: new Date().toISOString() });
  return { fromSnapshot: false };
}

/** Back to the stage the seat started at: its nodes removed and created again from the snapshot. */
export async function resetSeat(
  seat: Seat,
  options: { signal?: AbortSignal; onProgress?: ProgressListener } = {},
): Promise<void> {
  const state = await readSeatState(seat.ctx.dir);
  const lab = await dockerLab(seat);
  if (!state || !(await snapshotPresent(lab.docker, state.snapshot))) {
    throw new LabError(
      `seat ${seat.plan.id} has no snapshot to reset from`,
      ExitCode.badInput,
      'bring the workshop up first: `lab workshop up`',
    );
  }
  await reap(lab.docker, labSelector(lab.labId, 'node'), ['container']);
  await ensureNetwork(lab, options.signal);
  await Promise.all(
    seat.ctx.spec.nodes.map((node) => ensureNodeContainer(lab, state.snapshot![node.name]!, node, options.signal)),
  );
  await waitForStage(seat, options);
  await writeSeatState(seat.ctx.dir, { ...state, checkpoints: [], changedAt: new Date().toISOString() });
}
