/**
 * Shared by the Docker integration tests: a lab from a fixture in a fresh temp dir, the CLI run from
 * source, and the list of Docker objects still carrying a lab's label. No engine is a failure,
 * never a skip: CI must prove the lab really runs.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { LabAccess, ONE_SHOT_PROBE_TIMEOUT_MS } from '../../lab/cluster/access.js';
import { labHealth, type LabHealth } from '../../lab/cluster/health.js';
import { labHealthy, waitFor } from '../../lab/cluster/readiness.js';
import { specContext, type LabContext } from '../../lab/labdir/context.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { assertEngine, dockerClient } from '../../lab/providers/docker/client.js';
import { buildDebianBase } from '../../lab/providers/docker/base-image.js';
import { LOCAL_BASE_SUITE, localBaseImage } from '../../lab/providers/docker/base-image-tag.js';
import { labFilter, LABEL_LAB } from '../../lab/providers/docker/naming.js';
import { reap } from '../../lab/providers/docker/reaper.js';
import { withImageLock } from '../../lab/providers/docker/image-lock.js';
import { DockerProvider } from '../../lab/providers/docker/provider.js';
import { ROOT, runLab as runCli, runMain } from '../helpers.js';

export const docker = dockerClient();

/**
 * Fails (does not skip) when no engine answers; builds the fixtures' base image when it is absent,
 * as on a fresh CI host where no registry is reachable (once: later tests find it).
 */
export async function requireEngine(): Promise<void> {
  await assertEngine(docker).catch((e: unknown) => {
    throw new Error(
      `the Docker integration tests need a running Docker engine and must not be skipped: ${e instanceof Error ? `${e.message}; ${(e as { hint?: string }).hint ?? ''}` : String(e)}`,
    );
  });
  await requireLocalBase(LOCAL_BASE_SUITE);
}

/** Builds `lab image base --suite SUITE`'s image when it is absent, as `lab image base` would. */
export async function requireLocalBase(suite: string): Promise<void> {
  const tag = localBaseImage(suite);
  const present = async (): Promise<boolean> =>
    docker
      .getImage(tag)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  // Test files run side by side: one builds it, the others wait for it.
  if (!(await present())) {
    await withImageLock(docker, tag, async () => {
      if (!(await present())) await buildDebianBase(docker, { tag, suite });
    });
  }
}

export interface TestLab {
  work: string;
  ctx: LabContext;
  provider: DockerProvider;
  labId: string;
  /** One health judgement of the lab, as `lab status` makes it. */
  health(): Promise<LabHealth>;
  /** Waits (bounded) until the lab is healthy. */
  waitHealthy(timeoutMs: number): Promise<LabHealth>;
  /** Removes the lab (by label) and its temp dir; safe to call twice. */
  destroy(): Promise<void>;
}

export async function createTestLab(fixture: 'docker-lab-dk1.yaml' | 'scenario-lab.yaml' | 'forky-lab.yaml'): Promise<TestLab> {
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-it-'));
  const file = path.join(work, 'lab.yaml');
  await copyFile(path.join(ROOT, 'test/fixtures', fixture), file);
  const ctx = await specContext({ file, dir: path.join(work, 'lab') });
  await generateLab(ctx);
  await removeLeftoverLabs(ctx.spec.name);
  const provider = new DockerProvider(ctx, docker);
  const labId = await provider.labId();
  // A one-shot judgement probes as `lab status` does: a loaded host can miss the waits' short bound.
  const withAccess = async <T>(fn: (access: LabAccess) => Promise<T>, probeTimeoutMs?: number): Promise<T> => {
    const access = await LabAccess.forLab(provider, ctx.dir, probeTimeoutMs);
    return fn(access).finally(() => access.close());
  };
  return {
    work,
    ctx,
    provider,
    labId,
    health: () => withAccess((access) => labHealth(access, ctx.spec), ONE_SHOT_PROBE_TIMEOUT_MS),
    waitHealthy: (timeoutMs) => withAccess((access) => waitFor(labHealthy(access, ctx.spec, timeoutMs))),
    destroy: async () => {
      await provider.down();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Every container, network and volume that still carries the lab's label (on engine one unless another is given). */
export async function leftovers(labId: string, engine: Docker = docker): Promise<string[]> {
  const filters = labFilter(labId);
  const containers = await engine.listContainers({ all: true, filters });
  const networks = await engine.listNetworks({ filters });
  const { Volumes: volumes } = await engine.listVolumes({ filters });
  return [
    ...containers.map((c) => `container ${c.Names.join(',')}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}

/**
 * Removes, by label, every lab named NAME that an interrupted earlier test run left on the engine
 * (its containers, network and volumes; images stay as the cache). A test lab's id is its fixture's
 * name plus a hash of a temp dir that is gone by then, so no `lab down` reaches it, and its subnet
 * and addresses would fail this run's `lab up`: a landing run failed so, on a machine where a
 * killed run had left its labs. Called before a test lab is made; these names are the fixtures'.
 * On engine one unless another is given.
 */
export async function removeLeftoverLabs(name: string, engine: Docker = docker): Promise<string[]> {
  const ofName = new RegExp(`^${name}-[0-9a-f]{6}$`);
  return (await reap(engine, { [LABEL_LAB]: (id) => ofName.test(id) }, ['container', 'network', 'volume'])).removed;
}

/** `lab ARGS` in the lab's work dir. */
export function runLab(lab: Pick<TestLab, 'work' | 'ctx'>, args: string[], timeoutMs = 300_000) {
  return runLabIn(lab.work, path.join(lab.work, 'lab.yaml'), lab.ctx.dir, args, timeoutMs);
}

/**
 * `lab ARGS` on the lab in the test's own process (runMain): for commands that need no process of
 * their own, a node start-up fewer each (about 1.5 CPU-seconds under CI's load).
 */
export function labMain(lab: Pick<TestLab, 'work' | 'ctx'>, args: string[]) {
  return runMain([...args, '--file', path.join(lab.work, 'lab.yaml'), '--dir', lab.ctx.dir]);
}

/**
 * `lab ARGS --file FILE --dir DIR` in cwd: the built CLI (npm test builds first), not tsx, which
 * compiles the sources again in every child. INPUT, when given, is its stdin.
 */
export function runLabIn(cwd: string, file: string, dir: string, args: string[], timeoutMs = 300_000, input?: string) {
  // Before a `--`: what follows it is the node's command's or psql's own (lab exec, lab psql).
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  return runCli([...args.slice(0, end), '--file', file, '--dir', dir, ...args.slice(end)], {
    cwd,
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
}
