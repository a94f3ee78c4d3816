/**
 * The lab's Docker objects: one bridge network on the lab subnet and one container per node.
 * Creation is idempotent (existing objects of this lab are reused); removal is the label reaper's (reaper.ts).
 */
import type Docker from 'dockerode';
import { waitUntil } from '../../clock.js';
import { ExitCode, LabError } from '../../errors.js';
import { machineNames, type LabNode } from '../../spec/schema.js';
import { describeError, isNotFound } from './client.js';
import { cgroupBindFor } from './cgroups.js';
import { backupContainerSpec, entryContainerSpec, networkSpec, nodeContainerSpec, withCgroupSource } from './container-spec.js';
import { belongsTo, containerName, labFilter, labSelector, LABEL_NODE, networkName, type DockerLab } from './naming.js';
import { reap } from './reaper.js';

function notOurs(kind: string, name: string): LabError {
  return new LabError(
    `a ${kind} named ${name} exists but does not belong to this lab`,
    ExitCode.badInput,
    `rename the lab (name: in lab.yaml) or remove that ${kind} yourself if you know it is unused`,
  );
}

/** Creates the lab network unless it exists; true when it was created. */
export async function ensureNetwork({ docker, spec, labId }: DockerLab, signal?: AbortSignal): Promise<boolean> {
  const name = networkName(labId);
  try {
    const existing = await docker.getNetwork(name).inspect();
    if (!belongsTo(labId, existing.Labels)) throw notOurs('network', name);
    const subnets = (existing.IPAM?.Config ?? []).map((c: { Subnet?: string }) => c.Subnet);
    if (!subnets.includes(spec.network.subnet)) {
      throw new LabError(
        `the lab's network ${name} is on ${subnets.join(', ')}, but lab.yaml now says ${spec.network.subnet}`,
        ExitCode.badInput,
        'run `lab down` to remove the lab, then `lab up` again',
      );
    }
    return false;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    await docker.createNetwork({ ...networkSpec(spec, labId), abortSignal: signal } as Docker.NetworkCreateOptions);
    return true;
  } catch (e) {
    const message = describeError(e);
    if (/overlap/i.test(message)) {
      throw new LabError(
        `cannot create network ${name} on ${spec.network.subnet}: ${message}`,
        ExitCode.badInput,
        `another Docker network uses that range (see \`docker network ls\` and \`docker network inspect\`); choose another network.subnet in lab.yaml, or \`lab down\` the lab that uses it`,
      );
    }
    throw e;
  }
}

export type ContainerOutcome = 'created' | 'started' | 'running';

/**
 * Makes node's container exist and run from image at the node's address. A container of this lab
 * from another image or at another address is replaced; one that merely stopped is started again.
 */
export async function ensureNodeContainer(
  lab: DockerLab,
  image: string,
  node: LabNode,
  signal?: AbortSignal,
): Promise<ContainerOutcome> {
  return ensureContainer(lab, image, node, nodeContainerSpec(lab.spec, lab.labId, lab.dir, image, node, lab.extraPorts), signal);
}

/** The HAProxy node's container (entry.haproxy), made to exist and run as a node's is. */
export async function ensureEntryContainer(lab: DockerLab, image: string, signal?: AbortSignal): Promise<ContainerOutcome> {
  const entry = lab.spec.entry;
  if (!entry?.haproxy) throw new Error('ensureEntryContainer: the lab has no entry.haproxy');
  return ensureContainer(
    lab,
    image,
    entry.haproxy,
    entryContainerSpec(lab.spec, lab.labId, lab.dir, image, { ...entry, haproxy: entry.haproxy }, lab.extraPorts),
    signal,
  );
}

/** The backup node's container (backup:), made to exist and run as a node's is. */
export async function ensureBackupContainer(lab: DockerLab, image: string, signal?: AbortSignal): Promise<ContainerOutcome> {
  const backup = lab.spec.backup;
  if (!backup) throw new Error('ensureBackupContainer: the lab has no backup:');
  return ensureContainer(
    lab,
    image,
    backup,
    backupContainerSpec(lab.spec, lab.labId, lab.dir, image, backup, lab.extraPorts),
    signal,
  );
}

async function ensureContainer(
  lab: DockerLab,
  image: string,
  node: Pick<LabNode, 'name' | 'ip'>,
  create: Docker.ContainerCreateOptions,
  signal?: AbortSignal,
): Promise<ContainerOutcome> {
  const { docker, labId } = lab;
  const name = containerName(labId, node.name);
  const container = docker.getContainer(name);
  try {
    const info = await container.inspect();
    if (!belongsTo(labId, info.Config.Labels)) throw notOurs('container', name);
    const imageId = (await docker.getImage(image).inspect()).Id;
    const address = info.NetworkSettings.Networks[networkName(labId)]?.IPAMConfig?.IPv4Address;
    if (info.Image === imageId && address === node.ip) {
      if (info.State.Running) return 'running';
      await startContainer(container, name, signal);
      return 'started';
    }
    await container.remove({ force: true, v: true });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const created = await docker.createContainer({
    ...withCgroupSource(create, await cgroupBindFor(docker, image)),
    abortSignal: signal,
  });
  await startContainer(created, name, signal);
  return 'created';
}

const PORT_TAKEN = /address already in use|port is already allocated/;

/**
 * Starts a container, bounded. Docker picks each published port from the host's ephemeral range and
 * tries ten before it gives up. A second engine on the same host allocates from that range too,
 * unseen by this one: engine two once held a run of twenty, and a workshop seat's reset failed
 * "bind: address already in use". Each further start tries the next ten.
 */
export async function startContainer(container: Docker.Container, name: string, signal?: AbortSignal): Promise<void> {
  await waitUntil<void>(
    async () => {
      try {
        await container.start();
        return { ok: true, value: undefined };
      } catch (e) {
        const message = describeError(e);
        if (!PORT_TAKEN.test(message)) throw e;
        return { ok: false, reason: message };
      }
    },
    { what: `free host ports for ${name}`, timeoutMs: 10_000, intervalMs: 500, signal, fatal: () => true },
  );
}

/** Removes this lab's containers for nodes lab.yaml no longer has (the lab was made smaller, the HAProxy node renamed or removed). */
export async function removeStrayNodes({ docker, spec, labId }: DockerLab): Promise<string[]> {
  const wanted = new Set(machineNames(spec));
  const stray = { ...labSelector(labId), [LABEL_NODE]: (node: string) => !wanted.has(node) };
  return (await reap(docker, stray, ['container'])).removed;
}

/** Running node containers of this lab, by node name. */
export async function runningNodes(docker: Docker, labId: string): Promise<string[]> {
  const list = await docker.listContainers({ filters: { ...labFilter(labId, 'node'), status: ['running'] } });
  return list
    .map((c) => c.Labels[LABEL_NODE] ?? '')
    .filter(Boolean)
    .sort();
}

/** The HAProxy node's (role entry) or the backup node's name when its container runs, else undefined. */
export async function runningEntry(
  docker: Docker,
  labId: string,
  role: 'entry' | 'backup' = 'entry',
): Promise<string | undefined> {
  const list = await docker.listContainers({ filters: { ...labFilter(labId, role), status: ['running'] } });
  return list.map((c) => c.Labels[LABEL_NODE] ?? '').find(Boolean);
}

/** The host interface of the lab's bridge (Docker names it br-<first 12 of the network id>); none when there is no network. */
export async function bridgeInterfaces(docker: Docker, labId: string): Promise<string[]> {
  try {
    const network = await docker.getNetwork(networkName(labId)).inspect();
    return belongsTo(labId, network.Labels) ? [`br-${String(network.Id).slice(0, 12)}`] : [];
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}
