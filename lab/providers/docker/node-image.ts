/**
 * The node image: the base image plus what provision/10-packages.sh installs, committed once and
 * reused. Its tag is a hash of everything that decides its contents, so a warm `up` never
 * reinstalls packages and a changed script or package setting builds a new one.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { LabError } from '../../errors.js';
import type { LabSpec } from '../../spec/schema.js';
import { waitUntil } from '../../clock.js';
import { describeError, isNotFound } from './client.js';
import { PROVISION_STEPS, stepCommand } from '../../render/index.js';
import { NODE_OS_PACKAGES } from '../../render/containers.js';
import { systemdContainer } from './container-spec.js';
import { dockerExec } from './exec.js';
import { builderName, labelsFor, labFilter, LABEL_LAB, LABEL_ROLE, NODE_IMAGE_REPO, type DockerLab } from './naming.js';

interface BuildOptions {
  signal?: AbortSignal;
  onStep?: ProgressListener;
}
import { stepLabel } from './provision.js';
import { commandStep, step } from '../steps.js';
import type { ProgressListener } from '../provider.js';

const PACKAGES_STEP = PROVISION_STEPS.find((s) => s.name === 'packages')!;
/**
 * The Debian release `lab image base` builds by default, and the CI lab runs on: Debian 13 ships
 * PostgreSQL 17, Patroni 4.0 and etcd 3.5. Debian 12's Patroni 3.0.2 was seen to let a demoted leader
 * take the leader key back after a partition heals (patroni/patroni#3314).
 */
export const LOCAL_BASE_SUITE = 'trixie';
export const LOCAL_BASE_IMAGE = `pgha-lab/base:${LOCAL_BASE_SUITE}`;

/**
 * PID 1 of the builder: gives a plain distribution image (e.g. ubuntu:22.04, which has no systemd)
 * what booting systemd needs, then becomes systemd, so 10-packages runs as in a VM. policy-rc.d is
 * removed because it stops packages from starting their services, which VMs do not.
 */
const SYSTEMD_PREREQUISITES = `set -e
rm -f /usr/sbin/policy-rc.d
missing=""
for p in ${NODE_OS_PACKAGES.join(' ')}; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
fi
exec /sbin/init`;

/** The scripts the packages step runs: its own and the helpers every step sources. */
const PACKAGES_SCRIPTS = [PACKAGES_STEP.script, 'lib.sh'];

/** The node image's tag: base image id, the bootstrap above, the packages step's scripts and the settings they read (postgres.*). */
export function nodeImageTag(baseImageId: string, scripts: string[], spec: Pick<LabSpec, 'postgres'>): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([baseImageId, SYSTEMD_PREREQUISITES, scripts, spec.postgres]))
    .digest('hex')
    .slice(0, 16);
  return `${NODE_IMAGE_REPO}:${hash}`;
}

async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function pull(docker: Docker, ref: string, signal?: AbortSignal): Promise<void> {
  const stream = await docker.pull(ref, { abortSignal: signal });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/** The base image's id, pulling it once if it is absent. */
export async function ensureBaseImage(docker: Docker, ref: string, signal?: AbortSignal): Promise<string> {
  const present = await imageId(docker, ref);
  if (present) return present;
  try {
    await pull(docker, ref, signal);
  } catch (e) {
    signal?.throwIfAborted();
    throw new LabError(
      `base image ${ref} is not present and could not be pulled (${describeError(e)})`,
      undefined,
      `with no registry reachable, build a local base with \`lab image base\` and set \`docker: { baseImage: ${LOCAL_BASE_IMAGE} }\` in lab.yaml`,
    );
  }
  const pulled = await imageId(docker, ref);
  if (!pulled) throw new LabError(`pulled ${ref} but the engine does not list it`);
  return pulled;
}

/** Removes this lab's image builder left by an interrupted build. */
async function removeBuilders(docker: Docker, labId: string): Promise<void> {
  const stale = await docker.listContainers({ all: true, filters: labFilter(labId, 'builder') });
  await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
}

/** The tag this lab's node image has (or will have once built); pulls the base image if needed. */
async function nodeImageTagFor({ docker, spec, dir }: DockerLab, { signal, onStep }: BuildOptions): Promise<string> {
  const baseId = await step(onStep, null, `base image ${spec.docker.baseImage}`, () => ensureBaseImage(docker, spec.docker.baseImage, signal));
  const scripts = await Promise.all(PACKAGES_SCRIPTS.map((f) => readFile(path.join(dir, 'provision', f), 'utf8')));
  return nodeImageTag(baseId, scripts, spec);
}

/** Returns the node image's tag, building it first when no image with that tag exists. */
export async function ensureNodeImage(lab: DockerLab, options: BuildOptions): Promise<{ tag: string; built: boolean }> {
  const { docker, spec, labId, dir } = lab;
  const { signal, onStep } = options;
  const tag = await nodeImageTagFor(lab, options);
  if (await imageId(docker, tag)) {
    onStep?.({ node: null, step: `node image ${tag} (cached)`, status: 'skip' });
    return { tag, built: false };
  }
  await removeBuilders(docker, labId);
  const builder = await docker.createContainer({
    ...systemdContainer(spec.docker.baseImage, dir, labelsFor(labId, 'builder')),
    name: builderName(labId),
    Cmd: ['/bin/sh', '-c', SYSTEMD_PREREQUISITES],
    abortSignal: signal,
  });
  try {
    await builder.start();
    await step(onStep, null, 'image: boot systemd', () => waitForSystemd(builder, 600_000, signal));
    await commandStep(dir, onStep, null, `image: ${stepLabel(PACKAGES_STEP)}`, (log) =>
      dockerExec(builder, stepCommand(PACKAGES_STEP, spec.nodes[0]!.name), { timeoutMs: 1_200_000, signal, tee: log }),
    );
    await step(onStep, null, `image: commit ${tag}`, async () => {
      await dockerExec(builder, ['apt-get', 'clean'], { signal });
      // Committed stopped, after systemd's clean shutdown: no half-written database or pid files in the image.
      await builder.stop({ t: 60 });
      await builder.commit({
        repo: NODE_IMAGE_REPO,
        tag: tag.slice(NODE_IMAGE_REPO.length + 1),
        comment: `pgha-lab node image (${spec.docker.baseImage} + ${PACKAGES_STEP.script})`,
        changes: ['CMD ["/sbin/init"]', `LABEL ${LABEL_LAB}="${labId}" ${LABEL_ROLE}="node-image"`],
      });
    });
  } finally {
    // Its output is in the step's log; an idle builder would only hold memory until `lab down`.
    await builder.remove({ force: true, v: true }).catch(() => undefined);
  }
  return { tag, built: true };
}

/** Waits until systemd in the container reports running (or degraded: one failed unit is not ours to judge). */
export function waitForSystemd(container: Docker.Container, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return waitUntil(
    async () => {
      const r = await dockerExec(container, ['systemctl', 'is-system-running'], { timeoutMs: 10_000, signal });
      const state = r.stdout.trim();
      return state === 'running' || state === 'degraded' ? { ok: true, value: undefined } : { ok: false, reason: `systemd is ${state || 'not up yet'}` };
    },
    { what: 'systemd to boot', timeoutMs, intervalMs: 500, signal },
  );
}

/** Images this lab built (by label only), for `lab down --images`. */
export async function removeLabImages(docker: Docker, labId: string): Promise<{ removed: string[]; kept: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const image of await docker.listImages({ filters: labFilter(labId) })) {
    if (image.Labels?.[LABEL_LAB] !== labId) continue;
    const name = `image ${image.RepoTags?.[0] ?? image.Id}`;
    try {
      await docker.getImage(image.Id).remove();
      removed.push(name);
    } catch (e) {
      // Another lab built from the same packages may be running on it; it stays until that lab is down.
      kept.push(`${name}: ${describeError(e)}`);
    }
  }
  return { removed, kept };
}
