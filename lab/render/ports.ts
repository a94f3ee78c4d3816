/**
 * The ports the rendered configuration gives each service on every node: templates read them as
 * `lab.ports`, provisioners from node.env. Providers publish the first three to the host; etcd's
 * peer port stays inside the lab network.
 */
export const SERVICE_PORTS = { patroni: 8008, postgres: 5432, etcd: 2379, etcdPeer: 2380 } as const;

/** What a provider makes reachable from the host (on 127.0.0.1). */
export const PUBLISHED_PORTS = {
  patroni: SERVICE_PORTS.patroni,
  postgres: SERVICE_PORTS.postgres,
  etcd: SERVICE_PORTS.etcd,
} as const;

/**
 * The entry node's ports, as Percona's HA architecture documents HAProxy's: read-write (checks
 * Patroni's /primary), read-only (/replica) and the stats page; PgBouncer's default port beside them.
 * Providers publish each to the host on 127.0.0.1.
 */
export const ENTRY_PORTS = { readWrite: 5000, readOnly: 5001, stats: 7000, pgbouncer: 6432 } as const;

/** pgBackRest's TLS server (tls-server-port's default), on every node and on the backup node; never published to the host. */
export const BACKUP_PORTS = { tlsServer: 8432 } as const;
