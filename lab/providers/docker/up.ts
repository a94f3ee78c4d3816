/**
 * `up` for the Docker provider: node image (and entry image), network, containers booted to systemd, provisioners.
 * Each stage reuses what exists, so a second `up` of a lab provisioned from the same files changes
 * nothing. Whether the lab is then healthy is for the caller to wait for (cluster/readiness.ts).
 */
import type { UpOptions, UpResult } from '../provider.js';
import { task } from '../tasks.js';
import { assertEngine } from './client.js';
import { ensureEntryImage } from './entry-image.js';
import { containerName, type DockerLab } from './naming.js';
import { ensureNodeImage } from './node-image.js';
import { waitForSystemd } from './systemd.js';
import {
  ensureBackupContainer,
  ensureEntryContainer,
  ensureNetwork,
  ensureNodeContainer,
  removeStrayNodes,
  runningEntry,
  runningNodes,
  type ContainerOutcome,
} from './objects.js';
import { BACKUP_SCRIPTS } from '../../render/provisioning.js';
import { labFingerprint, provisionBackup, provisionEntry, provisionNodes } from './provision.js';
import { writeState, type DockerLabState } from './state.js';

const SYSTEMD_BOOT_TIMEOUT_MS = 120_000;

export async function upDockerLab(lab: DockerLab, state: DockerLabState, options: UpOptions): Promise<UpResult> {
  const { docker, spec, dir, labId } = lab;
  const { signal, onProgress } = options;
  await assertEngine(docker);
  const fingerprint = await labFingerprint(dir);

  const running = await runningNodes(docker, labId);
  const entryRunning = !spec.entry?.haproxy || (await runningEntry(docker, labId)) === spec.entry.haproxy.name;
  const backupRunning = !spec.backup || (await runningEntry(docker, labId, 'backup')) === spec.backup.name;
  const allRunning = spec.nodes.every((n) => running.includes(n.name)) && entryRunning && backupRunning;
  if (state.provisioned === fingerprint && allRunning && !options.reprovision) return { changed: false };

  const image = await ensureNodeImage(lab, options);
  const haproxy = spec.entry?.haproxy;
  const entryImage = haproxy ? await ensureEntryImage(lab, image.tag, options) : undefined;
  const networkCreated = await task(onProgress, null, 'network', () => ensureNetwork(lab, signal));
  const stray = await removeStrayNodes(lab);
  const backup = spec.backup;
  const outcomes: ContainerOutcome[] = await Promise.all([
    ...spec.nodes.map((node) =>
      task(onProgress, node.name, 'container', async () => {
        const outcome = await ensureNodeContainer(lab, image.tag, node, signal);
        await waitForSystemd(docker.getContainer(containerName(labId, node.name)), SYSTEMD_BOOT_TIMEOUT_MS, signal);
        return outcome;
      }),
    ),
    ...(haproxy && entryImage
      ? [
          task(onProgress, haproxy.name, 'container', async () => {
            const outcome = await ensureEntryContainer(lab, entryImage.tag, signal);
            await waitForSystemd(docker.getContainer(containerName(labId, haproxy.name)), SYSTEMD_BOOT_TIMEOUT_MS, signal);
            return outcome;
          }),
        ]
      : []),
    ...(backup
      ? [
          task(onProgress, backup.name, 'container', async () => {
            const outcome = await ensureBackupContainer(lab, image.tag, signal);
            await waitForSystemd(docker.getContainer(containerName(labId, backup.name)), SYSTEMD_BOOT_TIMEOUT_MS, signal);
            return outcome;
          }),
        ]
      : []),
  ]);

  const provision = state.provisioned !== fingerprint || outcomes.includes('created') || options.reprovision === true;
  if (provision) {
    // Cleared first: a failure part-way must make the next `up` provision again.
    await writeState(dir, { ...state, provisioned: null });
    await provisionBackup(lab, options, BACKUP_SCRIPTS.repository);
    await provisionNodes(lab, options);
    await provisionEntry(lab, options);
    await provisionBackup(lab, options, BACKUP_SCRIPTS.stanza);
    await writeState(dir, { ...state, provisioned: fingerprint });
  }
  return {
    changed:
      image.built ||
      entryImage?.built === true ||
      networkCreated ||
      stray.length > 0 ||
      provision ||
      outcomes.some((o) => o !== 'running'),
  };
}
