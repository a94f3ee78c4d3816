/**
 * The node image: the base image plus what provision/10-packages.sh installs, built once in a
 * throwaway systemd container and committed under its tag (node-image-tag.ts), then reused.
 */
import { LabError } from '../../errors.js';
import { PACKAGES_SCRIPT, scriptCommand } from '../../render/provisioning.js';
import { task } from '../tasks.js';
import { ensureImage, type BuildOptions } from './image-build.js';
import type { DockerLab } from './naming.js';
import { nodeImageTagOf, SYSTEMD_PREREQUISITES } from './node-image-tag.js';
import { scriptLabel } from './provision.js';
import { ensureBaseImage, imageId } from './pull.js';

/** Returns the node image's tag, building it first when no image with that tag exists. */
export async function ensureNodeImage(lab: DockerLab, options: BuildOptions): Promise<{ tag: string; built: boolean }> {
  const { docker, spec, dir } = lab;
  if (lab.nodeImage) {
    if (!(await imageId(docker, lab.nodeImage)))
      throw new LabError(
        `the node image ${lab.nodeImage} is not on this engine`,
        undefined,
        'copy it there first (docker save | docker load)',
      );
    return { tag: lab.nodeImage, built: false };
  }
  const baseId = await task(options.onProgress, null, `base image ${spec.docker.baseImage}`, () =>
    ensureBaseImage(docker, spec.docker.baseImage, options.signal),
  );
  return ensureImage(
    lab,
    {
      image: 'node',
      from: spec.docker.baseImage,
      cmd: ['/bin/sh', '-c', SYSTEMD_PREREQUISITES],
      step: { label: scriptLabel(PACKAGES_SCRIPT), argv: scriptCommand(PACKAGES_SCRIPT, spec.nodes[0]!.name) },
      tag: await nodeImageTagOf(baseId, dir, spec),
      comment: `pgha-lab node image (${spec.docker.baseImage} + ${PACKAGES_SCRIPT.script})`,
    },
    options,
  );
}
