/**
 * How every node is provisioned, the same in VMs and containers: where the lab directory is mounted,
 * the scripts of provision/ in order, and the command that runs each. The Vagrantfile, the Docker
 * provider and the workshop's handouts all take them from here.
 */

/** Where the lab directory is mounted inside every node (Vagrant's synced folder, the containers' bind mount). */
export const LAB_MOUNT = '/vagrant';

/** The provisioning scripts, in order. Each runs as `bash /vagrant/provision/<script> /vagrant/nodes/<node>/node.env`. */
export const PROVISION_SCRIPTS = [
  { name: 'packages', script: '10-packages.sh' },
  { name: 'etcd', script: '20-etcd.sh' },
  { name: 'watchdog', script: '30-watchdog.sh' },
  { name: 'patroni', script: '40-patroni.sh' },
] as const;

export type ProvisionScript = (typeof PROVISION_SCRIPTS)[number];

/** 10-packages.sh, which a Docker node image runs once for every node. */
export const PACKAGES_SCRIPT = PROVISION_SCRIPTS[0];

/** The command that runs one script on one node (the same in VMs and containers). */
export function scriptCommand(script: ProvisionScript, node: string): string[] {
  return ['bash', `${LAB_MOUNT}/provision/${script.script}`, `${LAB_MOUNT}/nodes/${node}/node.env`];
}

/** The HAProxy node's one script, after the nodes' scripts (its checks find Patroni once 40-patroni ran). */
export const ENTRY_SCRIPT = { name: 'entry', script: '50-entry.sh' } as const;

/** The command that provisions the HAProxy node `name` (the same in a VM and a container). */
export function entryScriptCommand(name: string): string[] {
  return ['bash', `${LAB_MOUNT}/provision/${ENTRY_SCRIPT.script}`, `${LAB_MOUNT}/entry/${name}/entry.env`];
}

/** The entry step's packages alone (HAProxy and PgBouncer), which a Docker entry image runs once. */
export function entryPackagesCommand(name: string): string[] {
  return [...entryScriptCommand(name), 'packages'];
}
