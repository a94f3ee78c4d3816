/**
 * The node image: the base image plus what provision/10-packages.sh installs, built once in a
 * throwaway systemd container and committed under its tag (node-image-tag.ts), then reused.
 */
import { LabError } from '../../errors.js';
import { PACKAGES_SCRIPT, scriptCommand } from '../../render/provisioning.js';
import type { ProgressListener } from '../provider.js';
import { commandTask, task } from '../tasks.js';
import { cgroupBindFor } from './cgroups.js';
import { systemdContainer, withCgroupSource } from './container-spec.js';
import { dockerExec } from './exec.js';
import { builderName, labelsFor, labSelector, LABEL_LAB, LABEL_ROLE, NODE_IMAGE_REPO, type DockerLab } from './naming.js';
import { reap } from './reaper.js';
import { nodeImageTagOf, SYSTEMD_PREREQUISITES } from './node-image-tag.js';
import { scriptLabel } from './provision.js';
import { ensureBaseImage, imageId } from './pull.js';
import { waitForSystemd } from './systemd.js';
import { withImageLock } from './image-lock.js';

interface BuildOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** Returns the node image's tag, building it first when no image with that tag exists. */
export async function ensureNodeImage(lab: DockerLab, options: BuildOptions): Promise<{ tag: string; built: boolean }> {
  const { docker, spec, dir } = lab;
  const { signal, onProgress } = options;
  if (lab.nodeImage) {
    if (!(await imageId(docker, lab.nodeImage)))
      throw new LabError(
        `the node image ${lab.nodeImage} is not on this engine`,
        undefined,
        'copy it there first (docker save | docker load)',
      );
    return { tag: lab.nodeImage, built: false };
  }
  const baseId = await task(onProgress, null, `base image ${spec.docker.baseImage}`, () =>
    ensureBaseImage(docker, spec.docker.baseImage, signal),
  );
  const tag = await nodeImageTagOf(baseId, dir, spec);
  if (await imageId(docker, tag)) {
    onProgress?.({ node: null, task: `node image ${tag} (cached)`, status: 'skip' });
    return { tag, built: false };
  }
  return withImageLock(docker, tag, () => buildNodeImage(lab, tag, options), signal);
}

/** Builds the node image under `tag`, unless another process built it while this one waited for the lock. */
async function buildNodeImage(lab: DockerLab, tag: string, options: BuildOptions): Promise<{ tag: string; built: boolean }> {
  const { docker, spec, labId, dir } = lab;
  const { signal, onProgress } = options;
  if (await imageId(docker, tag)) {
    onProgress?.({ node: null, task: `node image ${tag} (built by another lab meanwhile)`, status: 'skip' });
    return { tag, built: false };
  }
  // A builder an interrupted build left behind.
  await reap(docker, labSelector(labId, 'builder'), ['container']);
  const cgroupSource = await cgroupBindFor(docker, spec.docker.baseImage);
  const builder = await docker.createContainer({
    ...withCgroupSource(systemdContainer(spec.docker.baseImage, dir, labelsFor(labId, 'builder')), cgroupSource),
    name: builderName(labId),
    Cmd: ['/bin/sh', '-c', SYSTEMD_PREREQUISITES],
    abortSignal: signal,
  });
  try {
    await builder.start();
    await task(onProgress, null, 'image: boot systemd', () => waitForSystemd(builder, 600_000, signal));
    await commandTask(dir, onProgress, null, `image: ${scriptLabel(PACKAGES_SCRIPT)}`, (log) =>
      dockerExec(builder, scriptCommand(PACKAGES_SCRIPT, spec.nodes[0]!.name), { timeoutMs: 1_200_000, signal, tee: log }),
    );
    await task(onProgress, null, `image: commit ${tag}`, async () => {
      await dockerExec(builder, ['apt-get', 'clean'], { signal });
      // Committed stopped, after systemd's clean shutdown: no half-written database or pid files in the image.
      await builder.stop({ t: 60 });
      await builder.commit({
        repo: NODE_IMAGE_REPO,
        tag: tag.slice(NODE_IMAGE_REPO.length + 1),
        comment: `pgha-lab node image (${spec.docker.baseImage} + ${PACKAGES_SCRIPT.script})`,
        changes: ['CMD ["/sbin/init"]', `LABEL ${LABEL_LAB}="${labId}" ${LABEL_ROLE}="node-image"`],
      });
    });
  } finally {
    // Its output is in the task's log; an idle builder would only hold memory until `lab down`.
    await builder.remove({ force: true, v: true }).catch(() => undefined);
  }
  return { tag, built: true };
}
