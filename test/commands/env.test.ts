/** `lab env`'s shell output: exports for one path, quoted, and every path's URI. */
import t from 'tap';
import { formatEnv } from '../../lab/commands/env.js';
import type { EntryPath } from '../../lab/cluster/entry-paths.js';

const rw: EntryPath = { name: 'haproxy-rw', mode: 'read-write', hosts: [{ host: '127.0.0.1', port: 32001 }] };
const libpq: EntryPath = { name: 'libpq', mode: 'read-write', hosts: [{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: 2 }], targetSessionAttrs: 'read-write' };

t.test('exports for the chosen path, safe for eval whatever the password', async (t) => {
  const out = formatEnv([rw, libpq], libpq, "it's");
  t.match(out, "export PGHOST='127.0.0.1,127.0.0.1'");
  t.match(out, "export PGPORT='1,2'");
  t.match(out, "export PGPASSWORD='it'\\''s'");
  t.match(out, "export PGTARGETSESSIONATTRS='read-write'");
  t.match(out, '#   haproxy-rw (read-write): postgresql://postgres:it\'s@127.0.0.1:32001/postgres');
  t.match(out, '?target_session_attrs=read-write');
});
