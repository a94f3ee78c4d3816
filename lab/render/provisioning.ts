/**
 * How every node is provisioned, the same in VMs and containers: where the lab directory is mounted,
 * the scripts of provision/ in order, and the command that runs each. The Vagrantfile, the Docker
 * provider and the workshop's handouts all take them from here.
 */

/** Where the lab directory is mounted inside every node (Vagrant's synced folder, the containers' bind mount). */
export const LAB_MOUNT = '/vagrant';

/** The provisioning steps, in order. Each runs as `bash /vagrant/provision/<script> /vagrant/nodes/<node>/node.env`. */
export const PROVISION_STEPS = [
  { name: 'packages', script: '10-packages.sh' },
  { name: 'etcd', script: '20-etcd.sh' },
  { name: 'watchdog', script: '30-watchdog.sh' },
  { name: 'patroni', script: '40-patroni.sh' },
] as const;

export type ProvisionStep = (typeof PROVISION_STEPS)[number];

/** Step 10, which a Docker node image runs once for every node (with provision/packages.env). */
export const PACKAGES_STEP = PROVISION_STEPS[0];

/** The command that runs one step on one node (the same in VMs and containers). */
export function stepCommand(step: ProvisionStep, node: string): string[] {
  return ['bash', `${LAB_MOUNT}/provision/${step.script}`, `${LAB_MOUNT}/nodes/${node}/node.env`];
}

/** The HAProxy node's one step, after the nodes' steps (its checks find Patroni once step 40 ran). */
export const ENTRY_STEP = { name: 'entry', script: '50-entry.sh' } as const;

/** The command that provisions the HAProxy node `name` (the same in a VM and a container). */
export function entryStepCommand(name: string): string[] {
  return ['bash', `${LAB_MOUNT}/provision/${ENTRY_STEP.script}`, `${LAB_MOUNT}/entry/${name}/entry.env`];
}

