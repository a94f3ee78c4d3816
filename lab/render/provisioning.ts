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
  // Before Patroni: its archive_command and restore_command run pgBackRest. Nothing without backup:.
  { name: 'pgbackrest', script: '35-pgbackrest.sh' },
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

/**
 * The backup node's two scripts: its repository and TLS server before the nodes' step 40 (a replica
 * Patroni makes with pgBackRest asks that server first), the stanza after it (stanza-create needs a primary).
 */
export const BACKUP_SCRIPTS = {
  repository: { name: 'backup-repository', script: '15-backup-repository.sh' },
  stanza: { name: 'backup-stanza', script: '60-backup-stanza.sh' },
} as const;

export type BackupScript = (typeof BACKUP_SCRIPTS)[keyof typeof BACKUP_SCRIPTS];

/** The command that runs one of the backup node's scripts on the backup node `name` (the same in a VM and a container). */
export function backupScriptCommand(script: BackupScript, name: string): string[] {
  return ['bash', `${LAB_MOUNT}/provision/${script.script}`, `${LAB_MOUNT}/backup/${name}/backup.env`];
}
