/**
 * The mistakes of the Percona how-to (DESIGN.md) that the generated lab corrects, with where the
 * correction lives. `lab generate` and the README print this list; the render tests prove each fix.
 */
export interface DocumentFix {
  /** Stable identifier, e.g. for tests and JSON output. */
  id: string;
  /** What the document gets wrong. */
  mistake: string;
  /** What the generated lab does instead. */
  fix: string;
  /** Generated files (relative to the lab directory) that carry the fix and a `pgha-lab:` comment on it. */
  where: string[];
}

export const DOCUMENT_FIXES: readonly DocumentFix[] = [
  {
    id: 'node1-address',
    mistake: "node1's address is given as 172.16.7.90 in one place and 192.168.1.11 everywhere else.",
    fix: 'Every address comes from lab.yaml (network.subnet + firstHost, or nodes[].ip); each node has exactly one.',
    where: ['Vagrantfile', 'nodes/<first node>/node.env'],
  },
  {
    id: 'etcd-listen-peer-urls',
    mistake:
      '`ETCD_LISTEN PEER_URLS` (a space, not an underscore) on node1 and node3: etcd ignores it and listens for peers on its default; on node1 it also shares a line with ETCD_LISTEN_CLIENT_URLS.',
    fix: 'ETCD_LISTEN_PEER_URLS on its own line in every etcd.env.',
    where: ['nodes/<node>/etcd.env'],
  },
  {
    id: 'etcd-initial-cluster-node3',
    mistake: "node3's ETCD_INITIAL_CLUSTER gives node2 the address 192.168.1.13 and breaks over two lines.",
    fix: 'ETCD_INITIAL_CLUSTER is built on one line from the nodes list, each member with its own address.',
    where: ['nodes/<node>/etcd.env'],
  },
  {
    id: 'etcd-member-add-order',
    mistake: '`etcdctl member add` is run after the new member is started; etcd needs the member added first.',
    fix: "etcd.bootstrap 'incremental' runs `member add` on the existing members before the new member starts (with state existing); the default 'static' bootstrap lists all members from the start.",
    where: ['provision/20-etcd.sh', 'nodes/<node>/etcd.env'],
  },
  {
    id: 'stray-tilde',
    mistake: 'Stray `~` after values (`ETCD_NAME=node1 ~`).',
    fix: 'Values are written quoted, with nothing after them.',
    where: ['nodes/<node>/etcd.env'],
  },
  {
    id: 'postgres-version',
    mistake: 'The page is for PostgreSQL 16 but the commands set up ppg-12 and install percona-postgresql-12.',
    fix: '`percona-release setup ppg-<version>` and percona-postgresql-<version> follow postgres.version (16 by default), as do data_dir and bin_dir.',
    where: ['provision/10-packages.sh', 'nodes/<node>/node.env', 'nodes/<node>/patroni.yml'],
  },
  {
    id: 'softdog',
    mistake:
      "The softdog steps: the blacklist 'removal' is a garbled grep, nothing loads the module now (/etc/modules only acts at next boot), and Patroni's configuration never enables the watchdog.",
    fix: "Step 30 deletes every `blacklist softdog` line, loads softdog now and at boot, installs the udev rule and hands /dev/watchdog to postgres at once; patroni.yml has a watchdog section (mode from watchdog.mode). Containers use an emulator fed by Patroni's testing driver.",
    where: ['provision/30-watchdog.sh', 'files/61-watchdog.rules', 'nodes/<node>/patroni.yml'],
  },
  {
    id: 'patroni-config-and-postgresql-service',
    mistake:
      "Patroni's configuration is never shown, and the postgresql service the package starts is left to fight Patroni for the data directory.",
    fix: 'A complete patroni.yml per node; step 10 stops and disables the postgresql service and drops the package-created cluster, so Patroni alone initialises and starts PostgreSQL.',
    where: ['nodes/<node>/patroni.yml', 'provision/10-packages.sh'],
  },
  {
    id: 'sample-passwords',
    mistake: 'Sample passwords in the configurations.',
    fix: 'Per-lab secrets generated once and kept in the lab directory; patroni.yml is mode 0600.',
    where: ['nodes/<node>/patroni.yml'],
  },
];
