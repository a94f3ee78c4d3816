/** The entry paths at the ports a lab has now: a lab without `entry:` still gives libpq's multi-host path. */
import t from 'tap';
import { entryPathsNow } from '../../lab/cluster/entry-now.js';
import { workloadEnv } from '../../lab/cluster/entry-paths.js';
import type { EntryEndpoints, NodeEndpoints } from '../../lab/providers/provider.js';

const at = (port: number) => ({ host: '127.0.0.1', port });
const nodes = [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }];
/** The nodes' published ports, and HAProxy's, counting how often HAProxy's node was asked. */
function fakeAccess() {
  const asked = { entry: 0 };
  return {
    asked,
    endpoints: async (node: string): Promise<NodeEndpoints> => {
      const i = Number(node.slice(-1));
      return { node, patroni: at(18000 + i), postgres: at(15000 + i), etcd: at(12000 + i) };
    },
    entryEndpoints: async (): Promise<EntryEndpoints> => {
      asked.entry++;
      return { machine: 'haproxy', readWrite: at(5000), readOnly: at(5001), stats: at(7000) };
    },
  };
}

t.test("without entry:, lab env's and --workload's settings are libpq's multi-host path over the nodes", async (t) => {
  const access = fakeAccess();
  const paths = await entryPathsNow(access, null, nodes);
  t.equal(access.asked.entry, 0, 'no HAProxy node to ask');
  t.same(
    paths.map((p) => p.name),
    ['libpq'],
  );
  t.same(workloadEnv(paths, 'pw'), {
    PGHOST: '127.0.0.1,127.0.0.1,127.0.0.1',
    PGPORT: '15001,15002,15003',
    PGUSER: 'postgres',
    PGPASSWORD: 'pw',
    PGDATABASE: 'postgres',
    PGTARGETSESSIONATTRS: 'read-write',
    PGHA_LAB_LIBPQ_URI:
      'postgresql://postgres:pw@127.0.0.1:15001,127.0.0.1:15002,127.0.0.1:15003/postgres?target_session_attrs=read-write',
  });
});

t.test("with entry:, the section's own paths at HAProxy's ports", async (t) => {
  const haproxy = { name: 'haproxy', ip: '10.0.0.14', inter: 500, fastinter: 100, downinter: 200, fall: 3, rise: 2 };
  const paths = await entryPathsNow(fakeAccess(), { haproxy, pgbouncer: null, libpq: false }, nodes);
  t.same(
    paths.map((p) => [p.name, p.hosts[0]?.port]),
    [
      ['haproxy-rw', 5000],
      ['haproxy-ro', 5001],
    ],
  );
});
