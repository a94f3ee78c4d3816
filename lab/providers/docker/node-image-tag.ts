/**
 * What decides the node image's contents, hashed into its tag: the base image, the bootstrap its
 * builder runs as PID 1, the packages step's scripts and the settings they read. A warm `up` finds
 * the tag and never reinstalls packages; a changed script or package setting makes a new tag.
 */
import { PACKAGES_SCRIPT } from '../../render/provisioning.js';
import type { LabSpec } from '../../spec/schema.js';
import { NODE_OS_PACKAGES } from '../../render/containers.js';
import { hashedTag, provisionScripts } from './image-tag.js';
import { NODE_IMAGE_REPO } from './naming.js';

/** The scripts the packages step runs: its own and the helpers every step sources. */
const IMAGE_SCRIPTS = [PACKAGES_SCRIPT.script, 'lib.sh'];

/**
 * PID 1 of the builder: gives a plain distribution image (e.g. ubuntu:22.04, which has no systemd)
 * what booting systemd needs, then becomes systemd, so 10-packages runs as in a VM. policy-rc.d is
 * removed because it stops packages from starting their services, which VMs do not.
 */
export const SYSTEMD_PREREQUISITES = `set -e
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

/** The node image's tag: base image id, the bootstrap above, the packages step's scripts and the settings they read (postgres.*). Pure. */
export function nodeImageTag(baseImageId: string, scripts: string[], spec: Pick<LabSpec, 'postgres'>): string {
  return hashedTag(NODE_IMAGE_REPO, [baseImageId, SYSTEMD_PREREQUISITES, scripts, spec.postgres]);
}

/** The tag for this lab directory's scripts on the given base image. */
export async function nodeImageTagOf(baseImageId: string, dir: string, spec: Pick<LabSpec, 'postgres'>): Promise<string> {
  return nodeImageTag(baseImageId, await provisionScripts(dir, IMAGE_SCRIPTS), spec);
}
