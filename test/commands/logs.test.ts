/** `lab logs`: the journalctl command for a node or one of its services. */
import t from 'tap';
import { journalArgv } from '../../lab/commands/logs.js';
import { runMain } from '../helpers.js';

t.test('journalctl for lab logs', async (t) => {
  t.same(
    journalArgv('postgres', 50),
    ['journalctl', '--no-pager', '-n', '50', '-u', 'patroni.service'],
    'PostgreSQL runs under Patroni',
  );
  t.same(journalArgv('etcd', 10).slice(-2), ['-u', 'etcd.service']);
  t.same(journalArgv('postgresql', 10).slice(-2), ['-u', 'patroni.service'], 'the long name too');
  t.same(journalArgv('watchdog', 10).slice(-2), ['-u', 'lab-watchdog.service']);
  t.same(journalArgv('ssh.service', 10).slice(-2), ['-u', 'ssh.service'], 'any unit as given');
  t.same(journalArgv(undefined, 10).slice(-1), ['-b'], "the whole boot's journal without a service");
});

t.test("--follow keeps journalctl attached; -F is its short form, since -f is every command's --file", async (t) => {
  t.same(journalArgv('patroni', 20, true), ['journalctl', '--no-pager', '-n', '20', '--follow', '-u', 'patroni.service']);
  t.notOk(journalArgv('patroni', 20).includes('--follow'), 'not unless asked');
});

t.test("journalctl's -f habit is an error that names --follow, never a silent --file", async (t) => {
  const r = await runMain(['logs', 'node1', 'patroni', '-f']);
  t.equal(r.exitCode, 3, 'bad input');
  t.match(r.stderr, /Not enough arguments following: f/);
  t.match(r.stderr, /--follow \(-F\)/, 'the fix names --follow');
});
