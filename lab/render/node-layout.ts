/**
 * What runs on every node and where: the systemd units of the services and the files they read.
 * Templates read the units as `lab.units` and the provisioners from node.env (as the ports of
 * ports.ts); faults, `lab logs` and the Patroni log reader take them from here too.
 */

/** The systemd units on a node: etcd's and Patroni's come with the packages, the watchdog emulator's is the lab's own. */
export const UNITS = {
  etcd: 'etcd.service',
  patroni: 'patroni.service',
  watchdog: 'lab-watchdog.service',
  /** The package's own PostgreSQL unit: disabled, since Patroni alone starts PostgreSQL. */
  packagedPostgres: 'postgresql.service',
} as const;

/** The services a user names (`lab logs node1 postgres`, a scenario's `service:`). */
export type NodeService = 'etcd' | 'patroni' | 'postgres' | 'watchdog';

/**
 * The unit each service runs in. PostgreSQL runs under Patroni, as its child in Patroni's cgroup,
 * with no unit of its own: its log is Patroni's journal and stopping Patroni stops it.
 */
export const SERVICE_UNIT: Readonly<Record<NodeService, string>> = {
  etcd: UNITS.etcd,
  patroni: UNITS.patroni,
  postgres: UNITS.patroni,
  watchdog: UNITS.watchdog,
};

/** Where a PostgreSQL major's programs and its cluster's data are on a node (Debian's layout, Percona's too). */
export function pgPaths(version: number): { dataDir: string; binDir: string } {
  return { dataDir: `/var/lib/postgresql/${version}/main`, binDir: `/usr/lib/postgresql/${version}/bin` };
}

/** The EnvironmentFile etcd.service reads: step 20 installs nodes/<node>/etcd.env there. */
export const ETCD_ENV_FILE = '/etc/default/etcd';

/**
 * Where etcd and Patroni are, whichever package installed them (Debian's, Ubuntu's and Percona's
 * alike): the lab's systemd drop-ins run these, and the provisioners check they exist.
 */
export const SERVICE_BINARIES = { etcd: '/usr/bin/etcd', patroni: '/usr/bin/patroni' } as const;

/**
 * The units of the HAProxy node (entry.haproxy): the same names whether the OS's haproxy and
 * pgbouncer packages installed them or Percona's percona-haproxy and percona-pgbouncer (their Debian
 * packaging installs haproxy.service and pgbouncer.service).
 */
export const ENTRY_UNITS = { haproxy: 'haproxy.service', pgbouncer: 'pgbouncer.service' } as const;

/**
 * pgBackRest's TLS server (`pgbackrest server`) on every node and on the backup node (backup:).
 * Neither Debian's pgbackrest nor Percona's percona-pgbackrest ships a unit for it: this is the lab's.
 */
export const BACKUP_UNITS = { server: 'pgbackrest-server.service' } as const;

/** Where pgBackRest reads its configuration and the lab's certificates, on every machine that runs it. */
export const PGBACKREST_PATHS = {
  config: '/etc/pgbackrest/pgbackrest.conf',
  tlsDir: '/etc/pgbackrest/tls',
  repo: '/var/lib/pgbackrest',
  log: '/var/log/pgbackrest',
} as const;
