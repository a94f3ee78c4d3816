/**
 * The seat image: the node image plus an ssh server, so an attendee logs in to node1 and from there
 * reaches node2 and node3 by name with `ssh`, as in the document. Built once from the node image in
 * a throwaway container (no systemd needed to install a package) and committed under a tag that
 * hashes the node image and this script; host keys are made per seat, not baked in.
 */
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { LabError } from '../errors.js';
import { dockerExec } from '../providers/docker/exec.js';
import { withImageLock } from '../providers/docker/image-lock.js';
import { imageId } from '../providers/docker/pull.js';
import { LABEL_LAB, LABEL_ROLE, labelsFor } from '../providers/docker/naming.js';
import type { ProgressListener } from '../providers/provider.js';
import { task } from '../providers/tasks.js';

export const SEAT_IMAGE_REPO = 'pgha-lab/workshop-node';
/**
 * The seat image's label, replacing the one it would inherit from the node image (the lab that built
 * it): it is a cache shared by workshops, like the node image, not an object of any seat.
 */
const SEAT_IMAGE_LAB = 'workshop-image';

/** Root logs in with the seat's password; from node1 the seat's key reaches the other nodes. */
const SSH_SETUP = `set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
mkdir -p /etc/ssh/sshd_config.d /etc/ssh/ssh_config.d
# One ed25519 host key per node, made per seat: RSA keys cost seconds of CPU on every node of every seat.
printf 'PermitRootLogin yes\\nPasswordAuthentication yes\\nHostKey /etc/ssh/ssh_host_ed25519_key\\n' >/etc/ssh/sshd_config.d/pgha-workshop.conf
printf 'Host node*\\n  StrictHostKeyChecking accept-new\\n' >/etc/ssh/ssh_config.d/pgha-workshop.conf
rm -f /etc/ssh/ssh_host_*
# Without host keys sshd cannot start: it is enabled per seat, once the seat's keys exist.
systemctl disable ssh >/dev/null 2>&1 || true
apt-get clean`;

export function seatImageTag(nodeImageId: string): string {
  return `${SEAT_IMAGE_REPO}:${createHash('sha256')
    .update(JSON.stringify([nodeImageId, SSH_SETUP, SEAT_IMAGE_LAB]))
    .digest('hex')
    .slice(0, 16)}`;
}

/**
 * The builder's settings. Its labels are set here, never inherited: a container carries its image's
 * labels unless it sets its own, and the node image carries the id of the lab that happened to build
 * it. A builder with only a role label was that lab's object, so that lab's `down` removed it
 * mid-build (exit 137, docs/testing.md). With the seat's lab id, `lab workshop down` removes it. Pure.
 */
export function seatBuilderSpec(nodeImage: string, labId: string): Docker.ContainerCreateOptions {
  return { Image: nodeImage, Cmd: ['sleep', 'infinity'], Labels: labelsFor(labId, 'builder') };
}

export interface SeatImageOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** The seat image on this engine, built from nodeImage when absent by a builder labelled with labId (the first seat's lab). */
export async function ensureSeatImage(
  docker: Docker,
  nodeImage: string,
  labId: string,
  options: SeatImageOptions = {},
): Promise<{ tag: string; built: boolean }> {
  const nodeId = await imageId(docker, nodeImage);
  if (!nodeId) throw new LabError(`the node image ${nodeImage} is not on the engine`);
  const tag = seatImageTag(nodeId);
  if (await imageId(docker, tag)) {
    options.onProgress?.({ node: null, task: `seat image ${tag} (cached)`, status: 'skip' });
    return { tag, built: false };
  }
  return withImageLock(docker, tag, () => buildSeatImage(docker, nodeImage, labId, tag, options), options.signal);
}

/** Builds the seat image under `tag`, unless another process built it while this one waited for the lock. */
async function buildSeatImage(
  docker: Docker,
  nodeImage: string,
  labId: string,
  tag: string,
  { signal, onProgress }: SeatImageOptions,
): Promise<{ tag: string; built: boolean }> {
  if (await imageId(docker, tag)) {
    onProgress?.({ node: null, task: `seat image ${tag} (built by another workshop meanwhile)`, status: 'skip' });
    return { tag, built: false };
  }
  await task(onProgress, null, `seat image: install ssh (${tag})`, async () => {
    const builder = await docker.createContainer({
      ...seatBuilderSpec(nodeImage, labId),
      abortSignal: signal,
    } as Docker.ContainerCreateOptions);
    try {
      await builder.start();
      const r = await dockerExec(builder, ['bash', '-c', SSH_SETUP], { timeoutMs: 600_000, signal });
      if (r.exitCode !== 0)
        throw new LabError(
          `installing the ssh server into the seat image failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`,
        );
      await builder.commit({
        repo: SEAT_IMAGE_REPO,
        tag: tag.slice(SEAT_IMAGE_REPO.length + 1),
        comment: 'pgha-lab seat image: node image + ssh',
        changes: ['CMD ["/sbin/init"]', `LABEL ${LABEL_LAB}="${SEAT_IMAGE_LAB}" ${LABEL_ROLE}="${SEAT_IMAGE_LAB}"`],
        pause: false,
      });
    } finally {
      await builder.remove({ force: true, v: true }).catch(() => undefined);
    }
  });
  return { tag, built: true };
}
