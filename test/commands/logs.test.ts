/** `lab logs`: the journalctl command for a node or one of its services. */
import t from 'tap';
import { journalArgv } from '../../lab/commands/logs.js';

t.test('journalctl for lab logs', async (t) => {
  t.same(journalArgv('postgres', 50), ['journalctl', '--no-pager', '-n', '50', '-u', 'patroni.service'], 'PostgreSQL runs under Patroni');
  t.same(journalArgv('etcd', 10).slice(-2), ['-u', 'etcd.service']);
  t.same(journalArgv('postgresql', 10).slice(-2), ['-u', 'patroni.service'], 'the long name too');
  t.same(journalArgv('watchdog', 10).slice(-2), ['-u', 'lab-watchdog.service']);
  t.same(journalArgv('ssh.service', 10).slice(-2), ['-u', 'ssh.service'], 'any unit as given');
  t.same(journalArgv(undefined, 10).slice(-1), ['-b'], "the whole boot's journal without a service");
});
