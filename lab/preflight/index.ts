/**
 * What the lab's spec asks of this host, as checks: the subnet (host routes it would shadow,
 * VirtualBox's allowed host-only ranges) and memory. Computed once; `lab generate` and `lab up` print
 * the failing ones that concern the lab's provider as warnings, `lab doctor` prints them all beside
 * each provider's own doctor().
 */
import { readFile } from 'node:fs/promises';
import type { DoctorCheck, HostFootprint, Provider } from '../providers/provider.js';
import { nodesAreContainers } from '../spec/rules.js';
import type { LabSpec } from '../spec/schema.js';
import { overlappingRoutes, readHostRoutes, type HostRoute } from './routes.js';
import { readVboxAllowedRanges, vboxAllows, VBOX_NETWORKS_CONF } from './virtualbox.js';

export interface HostFacts {
  routes: HostRoute[];
  vboxAllowed: string[];
  /** MemAvailable; undefined where /proc/meminfo cannot be read. */
  availableMib: number | undefined;
}

async function readAvailableMib(): Promise<number | undefined> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kib = /MemAvailable:\s+(\d+)/.exec(meminfo)?.[1];
  return kib === undefined ? undefined : Math.floor(Number(kib) / 1024);
}

export async function readHostFacts(): Promise<HostFacts> {
  const [routes, vboxAllowed, availableMib] = await Promise.all([readHostRoutes(), readVboxAllowedRanges(), readAvailableMib()]);
  return { routes, vboxAllowed, availableMib };
}

/** What the lab is already using on this host, and what one node needs. */
export interface LabOnHost extends HostFootprint {
  nodeMemoryMib: number;
}

function vboxRangeCheck(subnet: string, allowed: string[]): DoctorCheck {
  if (vboxAllows(subnet, allowed))
    return { area: 'vagrant', ok: true, what: `VirtualBox allows host-only addresses in ${subnet}` };
  return {
    area: 'vagrant',
    ok: false,
    what: `VirtualBox 6.1.28+ allows host-only addresses only in ${allowed.join(', ')}, not ${subnet}`,
    fix: `sudo mkdir -p /etc/vbox && echo '* ${subnet}' | sudo tee -a ${VBOX_NETWORKS_CONF}; or set network.subnet: 192.168.56.0/24 in lab.yaml`,
  };
}

function routeCheck(subnet: string, routes: HostRoute[], ownInterfaces: string[]): DoctorCheck {
  const overlaps = overlappingRoutes(subnet, routes).filter((r) => !ownInterfaces.includes(r.iface));
  if (overlaps.length === 0) return { area: 'host', ok: true, what: `lab subnet ${subnet} overlaps none of the host's routes` };
  return {
    area: 'host',
    ok: false,
    what: `lab subnet ${subnet} overlaps the host's ${overlaps.map((r) => `${r.cidr} (${r.iface})`).join(', ')}: lab addresses would shadow that network`,
    fix: "set network.subnet in lab.yaml to an unused range, e.g. 10.77.0.0/24 (192.168.1.0/24, the document's, is a common home LAN)",
  };
}

function memoryCheck(spec: LabSpec, availableMib: number, lab: LabOnHost): DoctorCheck {
  const starting = spec.nodes.filter((n) => !lab.runningNodes.includes(n.name)).length;
  const need = lab.nodeMemoryMib * starting;
  const what = `${availableMib} MiB free, ${need} MiB needed (${starting} node(s) to start x ${lab.nodeMemoryMib})`;
  if (availableMib >= need) return { area: 'host', ok: true, what };
  return {
    area: 'host',
    ok: false,
    what,
    fix: nodesAreContainers(spec)
      ? 'free memory, or lower size in lab.yaml'
      : 'lower vm.memory or size in lab.yaml, or free memory',
  };
}

/** Pure: the checks for this spec on a host with these facts. */
export function preflightChecks(spec: LabSpec, host: HostFacts, lab: LabOnHost): DoctorCheck[] {
  const subnet = spec.network.subnet;
  return [
    ...(spec.vm.provider === 'virtualbox' ? [vboxRangeCheck(subnet, host.vboxAllowed)] : []),
    routeCheck(subnet, host.routes, lab.interfaces),
    ...(host.availableMib !== undefined ? [memoryCheck(spec, host.availableMib, lab)] : []),
  ];
}

/** Reads the host and what the lab's provider already holds on it, then checks. */
export async function runPreflight(spec: LabSpec, provider: Provider): Promise<DoctorCheck[]> {
  const [host, footprint] = await Promise.all([readHostFacts(), provider.hostFootprint()]);
  return preflightChecks(spec, host, { ...footprint, nodeMemoryMib: provider.nodeMemoryMib });
}

/** A check concerns this lab when it is the host's or its own provider's; the other provider's are notes. */
export function concerns(check: DoctorCheck, provider: LabSpec['provider']): boolean {
  return check.area === 'host' || check.area === provider;
}

/** The failing checks that concern the lab, as warnings. */
export function preflightWarnings(checks: DoctorCheck[], provider: LabSpec['provider']): string[] {
  return checks.filter((c) => !c.ok && concerns(c, provider)).map((c) => (c.fix ? `${c.what}; fix: ${c.fix}` : c.what));
}
