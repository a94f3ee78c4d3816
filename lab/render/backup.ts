/**
 * pgBackRest's files (lab.yaml's `backup:`): each node's configuration, the backup node's (its
 * repository, and the nodes it backs up), its step's parameters, the lab's certificates, and what
 * Patroni's configuration says about archiving and making replicas. Pure.
 */
import type { BackupSpec, LabNode, LabSpec } from '../spec/schema.js';
import { BACKUP_UNITS, PGBACKREST_PATHS, pgPaths } from './node-layout.js';
import { BACKUP_PORTS, SERVICE_PORTS } from './ports.js';
import { BACKUP_SCRIPTS } from './provisioning.js';
import { renderTemplate } from './templates.js';
import type { BackupTls } from './types.js';

/** The directory of the backup node's files, in the lab directory. */
export const backupDir = (backup: Pick<BackupSpec, 'name'>): string => `backup/${backup.name}`;

/** Where the lab's certificates are written in the lab directory (keys 0600). */
export const TLS_DIR = 'backup/tls';

const pgBits = (spec: LabSpec) => ({ dataDir: pgPaths(spec.postgres.version).dataDir });

/** pgBackRest as the postgres user runs it on a node, for the stanza: the start of every command Patroni and `lab` run. */
export const pgbackrestCommand = (stanza: string): string => `pgbackrest --stanza=${stanza}`;

/**
 * What Patroni's configuration gets with a backup: WAL archived to the repository and read back
 * from it, and replicas made from the repository first (a delta restore of the latest backup, then
 * WAL), pg_basebackup from the leader when there is no backup yet. Patroni's documented method keys:
 * keep_data lets pgBackRest's --delta reuse what the data directory holds, no_params drops the
 * arguments Patroni would add, no_leader lets the method run while no leader runs (a restore).
 */
export function patroniBackupView(backup: BackupSpec) {
  const pgbackrest = pgbackrestCommand(backup.stanza);
  return {
    archiveCommand: `${pgbackrest} archive-push %p`,
    restoreCommand: `${pgbackrest} archive-get %f "%p"`,
    replicaCommand: `/usr/bin/${pgbackrest} --delta --type=standby restore`,
  };
}

/** nodes/<node>/pgbackrest.conf: the repository on the backup node, and this node's TLS server. */
export function nodePgbackrestConf(spec: LabSpec, backup: BackupSpec, node: LabNode): string {
  return renderTemplate('templates/pgbackrest-node.conf.hbs', {
    node,
    backup,
    paths: PGBACKREST_PATHS,
    port: BACKUP_PORTS.tlsServer,
    pg: pgBits(spec),
    pgPort: SERVICE_PORTS.postgres,
  });
}

/** The backup node's files: its step's parameters and pgBackRest's configuration. */
export function backupMachineFiles(spec: LabSpec, backup: BackupSpec): [string, string, number][] {
  const dir = backupDir(backup);
  const view = {
    lab: { name: spec.name },
    pg: { version: spec.postgres.version, packageSource: spec.postgres.packageSource, ...pgBits(spec) },
    backup: { ...backup, retentionDiff: backup.retentionDiff ?? null },
    paths: PGBACKREST_PATHS,
    port: BACKUP_PORTS.tlsServer,
    pgPort: SERVICE_PORTS.postgres,
    units: BACKUP_UNITS,
    scripts: Object.values(BACKUP_SCRIPTS)
      .map((s) => s.script)
      .join(' and '),
    nodes: spec.nodes,
  };
  return [
    [`${dir}/backup.env`, renderTemplate('templates/backup.env.hbs', view), 0o644],
    [`${dir}/pgbackrest.conf`, renderTemplate('templates/pgbackrest-repo.conf.hbs', view), 0o644],
  ];
}

/** The certificate authority, and each machine's certificate and key (owner-only). */
export function tlsFiles(tls: BackupTls): [string, string, number][] {
  return [
    [`${TLS_DIR}/ca.crt`, tls.ca, 0o644],
    ...Object.entries(tls.hosts).flatMap(([name, h]): [string, string, number][] => [
      [`${TLS_DIR}/${name}.crt`, h.cert, 0o644],
      [`${TLS_DIR}/${name}.key`, h.key, 0o600],
    ]),
  ];
}
