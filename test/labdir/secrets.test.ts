/** The lab's secrets: made once per lab, never the document's samples; the libpq password file. */
import t from 'tap';
import { newSecrets, pgpassContent } from '../../lab/labdir/secrets.js';

t.test('each lab gets its own secrets, one per role', async (t) => {
  const [a, b] = [newSecrets(), newSecrets()];
  t.not(a.superuserPassword, b.superuserPassword, 'not shared between labs');
  t.equal(new Set(Object.values(a)).size, 4, 'not shared between roles');
  for (const v of Object.values(a)) t.ok(v.length >= 16, 'long enough');
});

t.test('the password file: one line for any host and port, with : and \\ escaped as libpq reads them', async (t) => {
  t.equal(pgpassContent('postgres', 'pw'), '*:*:*:postgres:pw\n');
  t.equal(pgpassContent('postgres', 'a:b\\c'), '*:*:*:postgres:a\\:b\\\\c\n');
});
