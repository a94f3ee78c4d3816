/**
 * What decides the entry image's contents, hashed into its tag: the node image it is made from, the
 * entry step's scripts and the package settings they read. Not entry.pgbouncer: the image holds
 * PgBouncer either way, so labs with and without it share one image.
 */
import { ENTRY_SCRIPT } from '../../render/provisioning.js';
import type { LabSpec } from '../../spec/schema.js';
import { hashedTag, provisionScripts } from './image-tag.js';
import { ENTRY_IMAGE_REPO } from './naming.js';

/** The scripts the entry image's build runs: the entry step and the helpers it sources. */
const ENTRY_IMAGE_SCRIPTS = [ENTRY_SCRIPT.script, 'lib.sh'];

/** The entry image's tag. Pure. */
export function entryImageTag(nodeImageId: string, scripts: string[], spec: Pick<LabSpec, 'postgres'>): string {
  return hashedTag(ENTRY_IMAGE_REPO, [nodeImageId, scripts, spec.postgres]);
}

/** The tag for this lab directory's scripts on the given node image. */
export async function entryImageTagOf(nodeImageId: string, dir: string, spec: Pick<LabSpec, 'postgres'>): Promise<string> {
  return entryImageTag(nodeImageId, await provisionScripts(dir, ENTRY_IMAGE_SCRIPTS), spec);
}
