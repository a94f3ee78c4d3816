/**
 * What the schema cannot express: quorum, uniqueness, subnet membership, Patroni's timing rule,
 * and the resolution of defaults that depend on other fields (node addresses, box names).
 */
import type { SpecProblem } from '../errors.js';
import { addressAfter, gatewayAddress, hostAddress, hostCount, netmaskOf, prefixOf, subnetContains } from '../net.js';
import {
  BOX_PROVIDERS,
  SUPPORTED_PG_VERSIONS,
  type BoxProvider,
  type BackupSpec,
  type EntrySpec,
  type LabNode,
  type LabSpec,
  type RawLabSpec,
} from './schema.js';

/** The box each VM provider boots for each Ubuntu release (Vagrant's docker provider boots none). */
const BOX_NAMES: Record<BoxProvider, Record<RawLabSpec['vm']['box'], string>> = {
  virtualbox: { 'ubuntu-22.04': 'ubuntu/jammy64', 'ubuntu-24.04': 'bento/ubuntu-24.04' },
  libvirt: { 'ubuntu-22.04': 'generic/ubuntu2204', 'ubuntu-24.04': 'cloud-image/ubuntu-24.04' },
};

const isBoxProvider = (p: RawLabSpec['vm']['provider']): p is BoxProvider => (BOX_PROVIDERS as readonly string[]).includes(p);

/**
 * True when the nodes are containers, not VMs: the Docker provider, or Vagrant's docker provider.
 * They cannot load softdog (the watchdog is emulated) and their OS is docker.baseImage, not a box.
 */
export function nodesAreContainers(spec: Pick<RawLabSpec, 'provider'> & { vm: Pick<RawLabSpec['vm'], 'provider'> }): boolean {
  return spec.provider === 'docker' || spec.vm.provider === 'docker';
}

/** PostgreSQL major version each Ubuntu release ships, for packageSource: distro. */
export const DISTRO_PG_VERSION: Record<RawLabSpec['vm']['box'], number> = { 'ubuntu-22.04': 14, 'ubuntu-24.04': 16 };

/** The lab's own base images, `lab image base --suite SUITE` tagged REPOSITORY:SUITE (no registry needed). */
export const LOCAL_BASE_REPOSITORY = 'pgha-lab/base';

/** PostgreSQL major version each Debian release ships, for packageSource: distro on a local base image. */
export const DEBIAN_PG_VERSION: Readonly<Record<string, number>> = { bookworm: 15, trixie: 17, forky: 18 };

/** The Debian release of a lab-built base image (`pgha-lab/base:trixie`), else undefined. Pure. */
export function localBaseSuite(image: string | undefined): string | undefined {
  const suite = image?.startsWith(`${LOCAL_BASE_REPOSITORY}:`) ? image.slice(LOCAL_BASE_REPOSITORY.length + 1) : undefined;
  return suite !== undefined && Object.hasOwn(DEBIAN_PG_VERSION, suite) ? suite : undefined;
}

const PATRONI_MINIMUMS = { ttl: 20, loopWait: 1, retryTimeout: 3 } as const;

function quorumProblems(size: number): { problems: SpecProblem[]; warnings: string[] } {
  const tolerated = (n: number) => Math.floor((n - 1) / 2);
  if (size === 2) {
    return {
      problems: [
        {
          path: 'size',
          message:
            'expected an odd number of nodes (3 or 5): with 2 etcd members quorum is 2, so losing either node stops the cluster, no better than 1',
        },
      ],
      warnings: [],
    };
  }
  if (size === 1)
    return { problems: [], warnings: ['size: 1 node has no failover: etcd and Patroni run, but nothing can take over'] };
  if (size % 2 === 0) {
    return {
      problems: [],
      warnings: [
        `size: ${size} nodes tolerate ${tolerated(size)} failure(s), the same as ${size - 1}; an odd size (3 or 5) gives the same safety with one node fewer`,
      ],
    };
  }
  return { problems: [], warnings: [] };
}

function nodeList(raw: RawLabSpec): { name: string; ip: string | undefined }[] {
  if (raw.nodes) return raw.nodes.map((n) => ({ name: n.name, ip: n.ip }));
  return Array.from({ length: raw.size }, (_, i) => ({ name: `node${i + 1}`, ip: undefined }));
}

function resolveNodes(raw: RawLabSpec): LabNode[] {
  return nodeList(raw).map((n, i) => ({
    name: n.name,
    ip: n.ip ?? hostAddress(raw.network.subnet, raw.network.firstHost + i),
    index: i + 1,
  }));
}

function nodeProblems(raw: RawLabSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (raw.nodes && raw.nodes.length !== raw.size && raw.size !== 3) {
    problems.push({
      path: 'size',
      message: `expected ${raw.nodes.length} to match the ${raw.nodes.length} entries of nodes, got ${raw.size} (omit size when you list nodes)`,
    });
  }
  const capacity = hostCount(raw.network.subnet);
  const nodes = nodeList(raw);
  if (!raw.nodes && raw.network.firstHost + nodes.length - 1 > capacity) {
    problems.push({
      path: 'network.firstHost',
      message: `expected room for ${nodes.length} nodes from host ${raw.network.firstHost} in ${raw.network.subnet}, which has ${capacity} host addresses`,
    });
    return problems;
  }
  const gateway = gatewayAddress(raw.network.subnet);
  const names = new Map<string, number>();
  const ips = new Map<string, string>();
  for (const [i, node] of resolveNodes(raw).entries()) {
    const firstWithName = names.get(node.name);
    if (firstWithName !== undefined)
      problems.push({ path: `nodes[${i}].name`, message: `${node.name} is already the name of nodes[${firstWithName}]` });
    names.set(node.name, i);
    if (!subnetContains(raw.network.subnet, node.ip)) {
      problems.push({
        path: `nodes[${i}].ip`,
        message: `expected an address inside network.subnet ${raw.network.subnet}, got ${node.ip}`,
      });
    } else if (node.ip === gateway) {
      problems.push({
        path: `nodes[${i}].ip`,
        message: `${node.ip} is the subnet's gateway (the host side of the lab network); choose another address`,
      });
    }
    const owner = ips.get(node.ip);
    if (owner !== undefined) problems.push({ path: `nodes[${i}].ip`, message: `${node.ip} is already used by ${owner}` });
    ips.set(node.ip, node.name);
  }
  return problems;
}

function timingProblems(raw: RawLabSpec): SpecProblem[] {
  const p = raw.patroni;
  const problems: SpecProblem[] = [];
  for (const key of ['ttl', 'loopWait', 'retryTimeout'] as const) {
    if (p[key] < PATRONI_MINIMUMS[key])
      problems.push({
        path: `patroni.${key}`,
        message: `expected at least ${PATRONI_MINIMUMS[key]} (Patroni's minimum), got ${p[key]}`,
      });
  }
  if (problems.length === 0 && p.loopWait + 2 * p.retryTimeout > p.ttl) {
    problems.push({
      path: 'patroni.ttl',
      message: `expected loop_wait + 2 * retry_timeout <= ttl (Patroni's rule), got ${p.loopWait} + 2 * ${p.retryTimeout} = ${p.loopWait + 2 * p.retryTimeout} > ${p.ttl}`,
    });
  }
  if (raw.watchdog.mode !== 'off' && p.ttl - raw.watchdog.safetyMargin <= p.loopWait) {
    problems.push({
      path: 'watchdog.safetyMargin',
      message: `expected ttl - safetyMargin > loopWait so Patroni can feed the watchdog, got ${p.ttl} - ${raw.watchdog.safetyMargin} <= ${p.loopWait}`,
    });
  }
  return problems;
}

function versionProblems(raw: RawLabSpec): SpecProblem[] {
  const version = raw.postgres.version;
  if (!(SUPPORTED_PG_VERSIONS as readonly number[]).includes(version)) {
    return [
      {
        path: 'postgres.version',
        message: `expected a supported PostgreSQL major version (${SUPPORTED_PG_VERSIONS.join(', ')}), got ${version}`,
      },
    ];
  }
  const suite = nodesAreContainers(raw) ? localBaseSuite(raw.docker.baseImage) : undefined;
  if (raw.postgres.packageSource === 'distro' && suite !== undefined && DEBIAN_PG_VERSION[suite] !== version) {
    const other = Object.entries(DEBIAN_PG_VERSION).find(([, v]) => v === version)?.[0];
    return [
      {
        path: 'postgres.version',
        message: `expected ${DEBIAN_PG_VERSION[suite]}: with packageSource distro, ${raw.docker.baseImage} (Debian ${suite}) ships PostgreSQL ${DEBIAN_PG_VERSION[suite]}, got ${version}${other ? ` (or build a ${other} base: lab image base --suite ${other})` : ''}`,
      },
    ];
  }
  if (raw.postgres.packageSource === 'distro' && !nodesAreContainers(raw) && DISTRO_PG_VERSION[raw.vm.box] !== version) {
    return [
      {
        path: 'postgres.version',
        message: `expected ${DISTRO_PG_VERSION[raw.vm.box]}: with packageSource distro, ${raw.vm.box} ships PostgreSQL ${DISTRO_PG_VERSION[raw.vm.box]}, got ${version} (or use packageSource: percona)`,
      },
    ];
  }
  return [];
}

/** The entry points as every other module reads them; null without an `entry:` section. */
function resolveEntry(raw: RawLabSpec, nodes: LabNode[]): EntrySpec | null {
  const entry = raw.entry;
  if (!entry) return null;
  const { enabled: haproxyOn, ip, ...haproxy } = entry.haproxy;
  const { enabled: pgbouncerOn, ...pgbouncer } = entry.pgbouncer;
  return {
    // The next address after the last node's: Percona's architecture gives HAProxy a machine of its own.
    haproxy: haproxyOn ? { ...haproxy, ip: ip ?? addressAfter(nodes[nodes.length - 1]!.ip) } : null,
    pgbouncer: pgbouncerOn ? pgbouncer : null,
    libpq: entry.libpq.enabled,
  };
}

function entryProblems(raw: RawLabSpec): SpecProblem[] {
  if (!raw.entry) return [];
  const problems: SpecProblem[] = [];
  const nodes = resolveNodes(raw);
  const entry = resolveEntry(raw, nodes)!;
  if (entry.pgbouncer && !entry.haproxy) {
    problems.push({
      path: 'entry.pgbouncer.enabled',
      message:
        'expected entry.haproxy.enabled: true as well: PgBouncer runs on the HAProxy node, in front of its read-write port',
    });
  }
  if (!entry.haproxy && !entry.libpq) {
    problems.push({
      path: 'entry',
      message: 'expected at least one entry point enabled (entry.haproxy or entry.libpq); remove the section for none',
    });
  }
  const haproxy = entry.haproxy;
  if (!haproxy) return problems;
  const ipPath = raw.entry.haproxy.ip === undefined ? 'entry.haproxy' : 'entry.haproxy.ip';
  return [...problems, ...machineProblems(raw, 'the HAProxy node', haproxy, 'entry.haproxy.name', ipPath, nodes.map(asNode))];
}

/**
 * A machine beside the nodes (the HAProxy node, the backup node): a name of its own and a free
 * address inside the subnet. ipPath is the section itself when the address was the default one.
 */
function machineProblems(
  raw: RawLabSpec,
  what: string,
  machine: { name: string; ip: string },
  namePath: string,
  ipPath: string,
  taken: { name: string; ip: string; what: string }[],
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const defaulted = !ipPath.endsWith('.ip');
  const named = taken.find((n) => n.name === machine.name);
  if (named)
    problems.push({ path: namePath, message: `${machine.name} is already the name of ${named.what}; choose another name` });
  if (!subnetContains(raw.network.subnet, machine.ip)) {
    problems.push({
      path: ipPath,
      message: `expected ${what}'s address inside network.subnet ${raw.network.subnet}, got ${machine.ip}${defaulted ? ` (the one after the last machine; set ${ipPath}.ip)` : ''}`,
    });
  } else if (machine.ip === gatewayAddress(raw.network.subnet)) {
    problems.push({
      path: ipPath,
      message: `${machine.ip} is the subnet's gateway (the host side of the lab network); choose another address`,
    });
  }
  const owner = taken.find((n) => n.ip === machine.ip);
  if (owner)
    problems.push({
      path: ipPath,
      message: `${machine.ip} is already used by ${owner.name}${defaulted ? `; set ${ipPath}.ip` : ''}`,
    });
  return problems;
}

const asNode = (n: LabNode) => ({ name: n.name, ip: n.ip, what: 'a node' });

/** The backup node as every other module reads it; null without a `backup:` section. */
function resolveBackup(raw: RawLabSpec, nodes: LabNode[], entry: EntrySpec | null): BackupSpec | null {
  if (!raw.backup) return null;
  const { ip, ...backup } = raw.backup;
  const last = entry?.haproxy?.ip ?? nodes[nodes.length - 1]!.ip;
  return { ...backup, ip: ip ?? addressAfter(last), stanza: raw.name };
}

function backupProblems(raw: RawLabSpec): SpecProblem[] {
  if (!raw.backup) return [];
  const nodes = resolveNodes(raw);
  const entry = resolveEntry(raw, nodes);
  const backup = resolveBackup(raw, nodes, entry)!;
  const taken = [...nodes.map(asNode), ...(entry?.haproxy ? [{ ...entry.haproxy, what: 'the HAProxy node' }] : [])];
  const ipPath = raw.backup.ip === undefined ? 'backup' : 'backup.ip';
  const provider: SpecProblem[] =
    raw.provider === 'docker'
      ? []
      : [
          {
            path: 'backup',
            message: `expected provider: docker: the Vagrantfile has no backup node yet, got provider ${raw.provider}`,
          },
        ];
  return [...provider, ...machineProblems(raw, 'the backup node', backup, 'backup.name', ipPath, taken)];
}

function boxProblems(raw: RawLabSpec): SpecProblem[] {
  if (raw.vm.boxName === undefined || isBoxProvider(raw.vm.provider)) return [];
  return [
    {
      path: 'vm.boxName',
      message: `expected no box with vm.provider ${raw.vm.provider}: it builds docker/Dockerfile from docker.baseImage (set that instead), got ${raw.vm.boxName}`,
    },
  ];
}

export function semanticProblems(raw: RawLabSpec): { problems: SpecProblem[]; warnings: string[] } {
  const quorum = quorumProblems(raw.nodes ? raw.nodes.length : raw.size);
  return {
    problems: [
      ...quorum.problems,
      ...nodeProblems(raw),
      ...timingProblems(raw),
      ...versionProblems(raw),
      ...boxProblems(raw),
      ...(quorum.problems.length === 0 && nodeProblems(raw).length === 0 ? [...entryProblems(raw), ...backupProblems(raw)] : []),
    ],
    warnings: quorum.warnings,
  };
}

/** Each VM provider's box; lab.yaml's boxName replaces the chosen provider's. */
function boxes(vm: RawLabSpec['vm']): Record<BoxProvider, string> {
  const chosen = (p: BoxProvider): string => (p === vm.provider && vm.boxName !== undefined ? vm.boxName : BOX_NAMES[p][vm.box]);
  return { virtualbox: chosen('virtualbox'), libvirt: chosen('libvirt') };
}

export function resolveSpec(raw: RawLabSpec): LabSpec {
  const nodes = resolveNodes(raw);
  const prefix = prefixOf(raw.network.subnet);
  const { boxName: _inBoxes, ...vm } = raw.vm;
  const entry = resolveEntry(raw, nodes);
  return {
    ...raw,
    size: nodes.length,
    nodes,
    entry,
    backup: resolveBackup(raw, nodes, entry),
    network: { ...raw.network, prefixLength: prefix, netmask: netmaskOf(prefix) },
    vm: { ...vm, boxes: boxes(raw.vm) },
    docker: { baseImage: raw.docker.baseImage ?? `ubuntu:${raw.vm.box.replace('ubuntu-', '')}` },
  };
}
