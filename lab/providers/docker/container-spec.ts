/**
 * What a node container is, as pure data: the systemd settings (render/containers.ts), the lab
 * address, the lab dir at /vagrant (the path the VMs use, so provisioners are identical) and service
 * ports published on 127.0.0.1 only.
 */
import type Docker from 'dockerode';
import { SYSTEMD_CONTAINER } from '../../render/containers.js';
import { LAB_MOUNT } from '../../render/provisioning.js';
import { ENTRY_PORTS, PUBLISHED_PORTS } from '../../render/ports.js';
import type { BackupSpec, EntrySpec, LabNode, LabSpec } from '../../spec/schema.js';
import { containerName, labelsFor, networkName, type ExtraPort } from './naming.js';

/** Service ports inside a node, published on 127.0.0.1 at ports the engine picks. */
export type NodeService = keyof typeof PUBLISHED_PORTS;

/** API 1.41 has CgroupnsMode; the dockerode typings do not list it yet. */
type HostConfig = Docker.HostConfig & { CgroupnsMode?: 'host' | 'private' };

/** The host settings systemd as PID 1 needs here (render/containers.ts); the image builder uses them too. */
export function systemdHostConfig(labDir: string): HostConfig {
  const c = SYSTEMD_CONTAINER;
  return {
    CapAdd: [...c.capAdd],
    SecurityOpt: [...c.securityOpt],
    CgroupnsMode: c.cgroupns,
    Binds: [...c.binds, `${labDir}:${LAB_MOUNT}:ro`],
    Tmpfs: { ...c.tmpfs },
  };
}

/** The container with cgroupSource (cgroups.ts, cgroupBindSource) bound at its /sys/fs/cgroup instead of the host's. Pure. */
export function withCgroupSource<T extends Docker.ContainerCreateOptions>(create: T, cgroupSource: string): T {
  const binds = create.HostConfig?.Binds?.map((b) =>
    b.endsWith(':/sys/fs/cgroup:rw') ? `${cgroupSource}:/sys/fs/cgroup:rw` : b,
  );
  return { ...create, HostConfig: { ...create.HostConfig, Binds: binds } };
}

export function systemdContainer(image: string, labDir: string, labels: Record<string, string>): Docker.ContainerCreateOptions {
  return {
    Image: image,
    Cmd: ['/sbin/init'],
    StopSignal: SYSTEMD_CONTAINER.stopSignal,
    Labels: labels,
    HostConfig: systemdHostConfig(labDir),
  };
}

export function nodeContainerSpec(
  spec: LabSpec,
  labId: string,
  labDir: string,
  image: string,
  node: LabNode,
  extraPorts: readonly ExtraPort[] = [],
): Docker.ContainerCreateOptions {
  return labContainerSpec(spec, labId, labDir, image, node, 'node', Object.values(PUBLISHED_PORTS), extraPorts);
}

/** The ports the HAProxy node publishes: HAProxy's three and, with entry.pgbouncer, PgBouncer's. */
export function entryPorts(entry: Pick<EntrySpec, 'pgbouncer'>): Partial<typeof ENTRY_PORTS> {
  const { pgbouncer, ...haproxy } = ENTRY_PORTS;
  return entry.pgbouncer ? { ...haproxy, pgbouncer } : haproxy;
}

/** The HAProxy node (entry.haproxy): a systemd container from the node image, beside the nodes. */
export function entryContainerSpec(
  spec: LabSpec,
  labId: string,
  labDir: string,
  image: string,
  entry: EntrySpec & { haproxy: LabNodeLike },
  extraPorts: readonly ExtraPort[] = [],
): Docker.ContainerCreateOptions {
  return labContainerSpec(spec, labId, labDir, image, entry.haproxy, 'entry', Object.values(entryPorts(entry)), extraPorts);
}

/** The backup node (backup:): a systemd container from the node image, publishing nothing (the host reaches pgBackRest by exec). */
export function backupContainerSpec(
  spec: LabSpec,
  labId: string,
  labDir: string,
  image: string,
  backup: BackupSpec,
  extraPorts: readonly ExtraPort[] = [],
): Docker.ContainerCreateOptions {
  return labContainerSpec(spec, labId, labDir, image, backup, 'backup', [], extraPorts);
}

type LabNodeLike = Pick<LabNode, 'name' | 'ip'>;

function labContainerSpec(
  spec: LabSpec,
  labId: string,
  labDir: string,
  image: string,
  node: LabNodeLike,
  role: 'node' | 'entry' | 'backup',
  published: number[],
  extraPorts: readonly ExtraPort[],
): Docker.ContainerCreateOptions {
  const base = systemdContainer(image, labDir, labelsFor(labId, role, node.name));
  const ports = published.map((p) => `${p}/tcp`);
  const extra = extraPorts.filter((p) => p.node === node.name);
  const bindings = [
    ...ports.map((p) => [p, [{ HostIp: '127.0.0.1', HostPort: '' }]] as const),
    ...extra.map((p) => [`${p.port}/tcp`, [{ HostIp: p.hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' }]] as const),
  ];
  return {
    ...base,
    name: containerName(labId, node.name),
    Hostname: node.name,
    ExposedPorts: Object.fromEntries(bindings.map(([p]) => [p, {}])),
    HostConfig: {
      ...base.HostConfig,
      RestartPolicy: { Name: SYSTEMD_CONTAINER.nodeRestartPolicy },
      // The backup node too: pgBackRest names the machines it dials, and their certificates say those names.
      ExtraHosts: [...spec.nodes, ...(spec.backup ? [spec.backup] : [])].map((n) => `${n.name}:${n.ip}`),
      PortBindings: Object.fromEntries(bindings),
      NetworkMode: networkName(labId),
    },
    NetworkingConfig: {
      EndpointsConfig: { [networkName(labId)]: { IPAMConfig: { IPv4Address: node.ip }, Aliases: [node.name] } },
    },
  };
}

export function networkSpec(spec: LabSpec, labId: string): Docker.NetworkCreateOptions {
  return {
    Name: networkName(labId),
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: labelsFor(labId, 'network'),
    IPAM: { Driver: 'default', Config: [{ Subnet: spec.network.subnet }] },
  };
}

/** Host port the engine published for a container port, from `inspect`; undefined while the container is down. */
export function publishedPort(info: Docker.ContainerInspectInfo, service: NodeService | number): number | undefined {
  const port = typeof service === 'number' ? service : PUBLISHED_PORTS[service];
  const bindings = info.NetworkSettings.Ports?.[`${port}/tcp`];
  const bound = bindings?.find((b) => b.HostIp === '127.0.0.1') ?? bindings?.[0];
  return bound?.HostPort ? Number(bound.HostPort) : undefined;
}
