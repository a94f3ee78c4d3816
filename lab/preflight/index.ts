/** Warnings a user needs before starting the lab, computed from the spec and the host. */
import type { LabSpec } from '../spec/schema.js';
import { overlappingRoutes, readHostRoutes, type HostRoute } from './routes.js';
import { readVboxAllowedRanges, vboxAllows, VBOX_NETWORKS_CONF } from './virtualbox.js';

export interface HostFacts {
  routes: HostRoute[];
  vboxAllowed: string[];
}

export async function readHostFacts(): Promise<HostFacts> {
  const [routes, vboxAllowed] = await Promise.all([readHostRoutes(), readVboxAllowedRanges()]);
  return { routes, vboxAllowed };
}

/** Pure: what to warn about for this spec on a host with these facts. */
export function preflightWarnings(spec: LabSpec, host: HostFacts, ownInterfaces: string[] = []): string[] {
  const warnings: string[] = [];
  const subnet = spec.network.subnet;
  if (spec.provider === 'vagrant' && spec.vm.provider === 'virtualbox' && !vboxAllows(subnet, host.vboxAllowed)) {
    warnings.push(
      `VirtualBox 6.1.28+ refuses host-only addresses outside ${host.vboxAllowed.join(', ')}: ` +
        `add the line "* ${subnet}" to ${VBOX_NETWORKS_CONF} (sudo mkdir -p /etc/vbox && echo '* ${subnet}' | sudo tee -a ${VBOX_NETWORKS_CONF}), ` +
        'or set network.subnet: 192.168.56.0/24 in lab.yaml',
    );
  }
  for (const route of overlappingRoutes(subnet, host.routes).filter((r) => !ownInterfaces.includes(r.iface))) {
    warnings.push(
      `network.subnet ${subnet} overlaps the host's route ${route.cidr} on ${route.iface}: ` +
        'lab addresses would shadow that network (192.168.1.0/24 is a common home LAN); choose an unused subnet in lab.yaml',
    );
  }
  return warnings;
}
