/** `lab env`'s shell output: exports for one path, quoted, and every path's URI. */
import t from 'tap';
import { choosePath, formatEnv } from '../../lab/commands/env.js';
import type { EntryPath } from '../../lab/cluster/entry-paths.js';
import type { LabError } from '../../lab/errors.js';

const rw: EntryPath = { name: 'haproxy-rw', mode: 'read-write', hosts: [{ host: '127.0.0.1', port: 32001 }] };
const libpq: EntryPath = {
  name: 'libpq',
  mode: 'read-write',
  hosts: [
    { host: '127.0.0.1', port: 1 },
    { host: '127.0.0.1', port: 2 },
  ],
  targetSessionAttrs: 'read-write',
};

t.test('exports for the chosen path, safe for eval whatever the password', async (t) => {
  const out = formatEnv([rw, libpq], libpq, "it's");
  t.match(out, "export PGHOST='127.0.0.1,127.0.0.1'");
  t.match(out, "export PGPORT='1,2'");
  t.match(out, "export PGPASSWORD='it'\\''s'");
  t.match(out, "export PGTARGETSESSIONATTRS='read-write'");
  t.match(out, "#   haproxy-rw (read-write): postgresql://postgres:it's@127.0.0.1:32001/postgres");
  t.match(out, '?target_session_attrs=read-write');
});

t.test('by default the password stays in the 0600 file: PGPASSFILE, and URIs without it', async (t) => {
  const out = formatEnv([rw, libpq], rw, { passfile: '/labs/x/pgpass' });
  t.match(out, "export PGPASSFILE='/labs/x/pgpass'");
  t.notMatch(out, /PGPASSWORD/);
  t.match(out, '#   haproxy-rw (read-write): postgresql://postgres@127.0.0.1:32001/postgres');
  t.match(out, /lab env --show-secrets prints it/, 'and says how to see it');
});

t.test("a lab without entry: says so and gives the nodes' multi-host path", async (t) => {
  const out = formatEnv([libpq], libpq, { passfile: '/p' }, true);
  t.match(out, /^# lab env: this lab has no entry: section/);
  t.match(out, "export PGTARGETSESSIONATTRS='read-write'");
});

t.test('--path names a path; an unknown one is bad input naming the paths there are', async (t) => {
  t.equal(choosePath([rw, libpq], 'libpq'), libpq);
  t.equal(choosePath([rw, libpq], undefined), rw, 'the first read-write one by default');
  const error = t.throws(() => choosePath([rw], 'pgbouncer')) as LabError;
  t.match({ exitCode: error.exitCode, hint: error.hint }, { exitCode: 3, hint: 'the paths are haproxy-rw' });
});
