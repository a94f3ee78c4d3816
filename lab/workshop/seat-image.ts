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
import { imageId } from '../providers/docker/pull.js';
import { LABEL_LAB, LABEL_ROLE } from '../providers/docker/naming.js';

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
  return `${SEAT_IMAGE_REPO}:${createHash('sha256').update(JSON.stringify([nodeImageId, SSH_SETUP, SEAT_IMAGE_LAB])).digest('hex').slice(0, 16)}`;
}

/** The seat image on this engine, built from nodeImage when absent. */
export async function ensureSeatImage(docker: Docker, nodeImage: string, signal?: AbortSignal): Promise<{ tag: string; built: boolean }> {
  const nodeId = await imageId(docker, nodeImage);
  if (!nodeId) throw new LabError(`the node image ${nodeImage} is not on the engine`);
  const tag = seatImageTag(nodeId);
  if (await imageId(docker, tag)) return { tag, built: false };
  const builder = await docker.createContainer({ Image: nodeImage, Cmd: ['sleep', 'infinity'], Labels: { 'pgha-lab.role': 'builder' }, abortSignal: signal } as Docker.ContainerCreateOptions);
  try {
    await builder.start();
    const r = await dockerExec(builder, ['bash', '-c', SSH_SETUP], { timeoutMs: 600_000, signal });
    if (r.exitCode !== 0) throw new LabError(`installing the ssh server into the seat image failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
    await builder.commit({ repo: SEAT_IMAGE_REPO, tag: tag.slice(SEAT_IMAGE_REPO.length + 1), comment: 'pgha-lab seat image: node image + ssh', changes: ['CMD ["/sbin/init"]', `LABEL ${LABEL_LAB}="${SEAT_IMAGE_LAB}" ${LABEL_ROLE}="${SEAT_IMAGE_LAB}"`], pause: false });
  } finally {
    await builder.remove({ force: true, v: true }).catch(() => undefined);
  }
  return { tag, built: true };
}
