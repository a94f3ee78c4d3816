/**
 * How the lab's own images are made (the node image, the entry image): one provisioning step run
 * once in a throwaway systemd container of the lab, as it runs in a VM, then committed under a tag
 * that hashes what decides the contents, and reused by every later `up` on the engine.
 */
import type { ProgressListener } from '../provider.js';
import { commandTask, task } from '../tasks.js';
import { cgroupBindFor } from './cgroups.js';
import { systemdContainer, withCgroupSource } from './container-spec.js';
import { dockerExec } from './exec.js';
import { withImageLock } from './image-lock.js';
import { builderName, labelsFor, labSelector, LABEL_LAB, LABEL_ROLE, type DockerLab } from './naming.js';
import { imageId } from './pull.js';
import { reap } from './reaper.js';
import { waitForSystemd } from './systemd.js';

export interface BuildOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ImageBuild {
  image: 'node' | 'entry';
  /** The image it is made from. */
  from: string;
  /** The builder's PID 1 (default: /sbin/init, for an image that already boots systemd). */
  cmd?: string[];
  /** The step run in the builder: its name in progress lines and logs, and its command. */
  step: { label: string; argv: string[] };
  /** `repo:hash`. */
  tag: string;
  comment: string;
}

const SYSTEMD_BOOT_TIMEOUT_MS = 600_000;
const STEP_TIMEOUT_MS = 1_200_000;

/** The image's tag, building it first when no image with that tag exists. */
export async function ensureImage(
  lab: DockerLab,
  build: ImageBuild,
  options: BuildOptions,
): Promise<{ tag: string; built: boolean }> {
  const { docker } = lab;
  const { signal, onProgress } = options;
  if (await imageId(docker, build.tag)) {
    onProgress?.({ node: null, task: `${build.image} image ${build.tag} (cached)`, status: 'skip' });
    return { tag: build.tag, built: false };
  }
  return withImageLock(
    docker,
    build.tag,
    async () => {
      // Another process may have built it while this one waited for the lock.
      if (await imageId(docker, build.tag)) {
        onProgress?.({ node: null, task: `${build.image} image ${build.tag} (built by another lab meanwhile)`, status: 'skip' });
        return { tag: build.tag, built: false };
      }
      await buildImage(lab, build, options);
      return { tag: build.tag, built: true };
    },
    signal,
  );
}

async function buildImage(
  { docker, dir, labId }: DockerLab,
  build: ImageBuild,
  { signal, onProgress }: BuildOptions,
): Promise<void> {
  const what = `${build.image} image`;
  // A builder an interrupted build left behind.
  await reap(docker, labSelector(labId, 'builder'), ['container']);
  // Its own labels (this lab's builder), never the image's: the image it is made from carries the id
  // of whichever lab built that, whose `down` would otherwise remove this builder mid-build.
  const cgroupSource = await cgroupBindFor(docker, build.from);
  const builder = await docker.createContainer({
    ...withCgroupSource(systemdContainer(build.from, dir, labelsFor(labId, 'builder')), cgroupSource),
    name: builderName(labId, build.image),
    ...(build.cmd ? { Cmd: build.cmd } : {}),
    abortSignal: signal,
  });
  try {
    await builder.start();
    await task(onProgress, null, `${what}: boot systemd`, () => waitForSystemd(builder, SYSTEMD_BOOT_TIMEOUT_MS, signal));
    await commandTask(dir, onProgress, null, `${what}: ${build.step.label}`, (log) =>
      dockerExec(builder, build.step.argv, { timeoutMs: STEP_TIMEOUT_MS, signal, tee: log }),
    );
    await task(onProgress, null, `${what}: commit ${build.tag}`, async () => {
      await dockerExec(builder, ['apt-get', 'clean'], { signal });
      // Committed stopped, after systemd's clean shutdown: no half-written database or pid files in the image.
      await builder.stop({ t: 60 });
      const at = build.tag.lastIndexOf(':');
      await builder.commit({
        repo: build.tag.slice(0, at),
        tag: build.tag.slice(at + 1),
        comment: build.comment,
        changes: ['CMD ["/sbin/init"]', `LABEL ${LABEL_LAB}="${labId}" ${LABEL_ROLE}="${build.image}-image"`],
      });
    });
  } finally {
    // Its output is in the step's log; an idle builder would only hold memory until `lab down`.
    await builder.remove({ force: true, v: true }).catch(() => undefined);
  }
}
