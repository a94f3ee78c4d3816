/** The entry paths: which a lab's entry section gives, and their libpq settings. */
import t from 'tap';
import { entryPaths, pathEnv, pathUri, workloadEnv } from '../../lab/cluster/entry-paths.js';
import type { EntryEndpoints, NodeEndpoints } from '../../lab/providers/provider.js';

const at = (port: number) => ({ host: '127.0.0.1', port });
const haproxy: EntryEndpoints = {
  machine: 'haproxy',
  readWrite: at(5000),
  readOnly: at(5001),
  stats: at(7000),
  pgbouncer: at(6432),
};
const nodes: NodeEndpoints[] = [1, 2, 3].map((i) => ({
  node: `node${i}`,
  patroni: at(18000 + i),
  postgres: at(15000 + i),
  etcd: at(12000 + i),
}));

t.test('every path an entry section turns on', async (t) => {
  const paths = entryPaths(
    {
      haproxy: { name: 'haproxy', ip: '10.0.0.14', inter: 500, fastinter: 100, downinter: 200, fall: 3, rise: 2 },
      pgbouncer: { poolMode: 'transaction' },
      libpq: true,
    },
    haproxy,
    nodes,
  );
  t.same(
    paths.map((p) => [p.name, p.mode]),
    [
      ['haproxy-rw', 'read-write'],
      ['pgbouncer', 'read-write'],
      ['haproxy-ro', 'read-only'],
      ['libpq', 'read-write'],
    ],
  );
});

t.test('libpq alone needs no HAProxy node', async (t) => {
  const [libpq, ...rest] = entryPaths({ haproxy: null, pgbouncer: null, libpq: true }, null, nodes);
  t.same(rest, []);
  t.same(pathEnv(libpq!, 'p w'), {
    PGHOST: '127.0.0.1,127.0.0.1,127.0.0.1',
    PGPORT: '15001,15002,15003',
    PGUSER: 'postgres',
    PGPASSWORD: 'p w',
    PGDATABASE: 'postgres',
    PGTARGETSESSIONATTRS: 'read-write',
  });
  t.equal(
    pathUri(libpq!, 'p@w'),
    'postgresql://postgres:p%40w@127.0.0.1:15001,127.0.0.1:15002,127.0.0.1:15003/postgres?target_session_attrs=read-write',
  );
  t.equal(
    pathUri(libpq!),
    'postgresql://postgres@127.0.0.1:15001,127.0.0.1:15002,127.0.0.1:15003/postgres?target_session_attrs=read-write',
    'without a password, libpq reads PGPASSFILE',
  );
  t.same(pathEnv(libpq!, { passfile: '/l/pgpass' }).PGPASSFILE, '/l/pgpass', 'a password file instead of the password');
});

t.test("a --workload command's environment: the first read-write path's libpq settings, and every path's URI", async (t) => {
  const paths = entryPaths(
    {
      haproxy: { name: 'haproxy', ip: '10.0.0.14', inter: 500, fastinter: 100, downinter: 200, fall: 3, rise: 2 },
      pgbouncer: null,
      libpq: true,
    },
    haproxy,
    nodes,
  );
  t.same(workloadEnv(paths, 'pw'), {
    PGHOST: '127.0.0.1',
    PGPORT: '5000',
    PGUSER: 'postgres',
    PGPASSWORD: 'pw',
    PGDATABASE: 'postgres',
    PGHA_LAB_HAPROXY_RW_URI: 'postgresql://postgres:pw@127.0.0.1:5000/postgres',
    PGHA_LAB_HAPROXY_RO_URI: 'postgresql://postgres:pw@127.0.0.1:5001/postgres',
    PGHA_LAB_LIBPQ_URI:
      'postgresql://postgres:pw@127.0.0.1:15001,127.0.0.1:15002,127.0.0.1:15003/postgres?target_session_attrs=read-write',
  });
});
