/**
 * The entry image: the node image plus HAProxy and PgBouncer, which the HAProxy node runs from. Its
 * own image on top of the node image, not a node image with them: the node image stays one for labs
 * with and without entry points, the entry image adds one small layer and its build installs two
 * packages instead of the whole node image's, and a lab without entry never builds it.
 */
import { ENTRY_SCRIPT, entryPackagesCommand } from '../../render/provisioning.js';
import { entryImageTagOf } from './entry-image-tag.js';
import { ensureImage, type BuildOptions } from './image-build.js';
import type { DockerLab } from './naming.js';
import { imageId } from './pull.js';

/** The entry image's tag on the given node image (its tag), building it first when absent. */
export async function ensureEntryImage(
  lab: DockerLab,
  nodeImage: string,
  options: BuildOptions,
): Promise<{ tag: string; built: boolean }> {
  const haproxy = lab.spec.entry?.haproxy;
  if (!haproxy) throw new Error('ensureEntryImage: the lab has no entry.haproxy');
  const nodeId = await imageId(lab.docker, nodeImage);
  if (!nodeId) throw new Error(`ensureEntryImage: the node image ${nodeImage} is not on the engine`);
  return ensureImage(
    lab,
    {
      image: 'entry',
      from: nodeImage,
      step: { label: `${ENTRY_SCRIPT.script.replace(/\.sh$/, '')} packages`, argv: entryPackagesCommand(haproxy.name) },
      tag: await entryImageTagOf(nodeId, lab.dir, lab.spec),
      comment: `pgha-lab entry image (${nodeImage} + ${ENTRY_SCRIPT.script} packages)`,
    },
    options,
  );
}
