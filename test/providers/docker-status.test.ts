/** Lab health judgement, the status table, etcd's JSON and progress lines: pure functions. */
import t from 'tap';
import { parseEndpointHealth, etcdProblems } from '../../lab/cluster/etcd.js';
import { NO_SYNC_STANDBY, patroniProblems, type LabHealth, type MemberStatus } from '../../lab/cluster/health.js';
import { formatStatus, lagInMb, renderTable } from '../../lab/commands/status.js';
import { journalArgv } from '../../lab/commands/logs.js';
import { formatProgressEvent } from '../../lab/report/progress.js';

const nodes = [1, 2, 3].map((i) => ({ name: `node${i}`, ip: `192.168.1.1${i}`, index: i }));
const member = (name: string, role: MemberStatus['role'], state = 'running', lag: number | null = 0): MemberStatus => ({
  name,
  host: nodes.find((n) => n.name === name)!.ip,
  role,
  state,
  timeline: 1,
  lag: role === 'primary' ? null : lag,
  syncStandby: false,
});
const asyncLab = { nodes, patroni: { synchronousMode: false } };
const syncLab = { nodes, patroni: { synchronousMode: true } };

t.test('etcd endpoint health JSON', async (t) => {
  const stdout =
    '[{"endpoint":"http://192.168.1.12:2379","health":true,"took":"5ms"},{"endpoint":"http://192.168.1.11:2379","health":true,"took":"4ms"},' +
    '{"endpoint":"http://192.168.1.13:2379","health":false,"took":"5s","error":"context deadline exceeded"}]';
  const members = parseEndpointHealth(stdout, { nodes })!;
  t.same(members.map((m) => [m.node, m.healthy]), [['node1', true], ['node2', true], ['node3', false]], 'mapped to nodes by address, sorted');
  t.same(etcdProblems({ askedNode: 'node1', members }, asyncLab), ['etcd: node3 unhealthy (context deadline exceeded)']);
  t.same(etcdProblems({ askedNode: 'node1', members: members.slice(0, 2) }, asyncLab), ['etcd: node3 is not a member']);
  t.equal(parseEndpointHealth('Error: dial tcp 127.0.0.1:2379: connect: connection refused', { nodes }), undefined);
  t.same(etcdProblems({ askedNode: undefined, members: [], error: 'no node is running' }, asyncLab), ['etcd: no member list (no node is running)']);
});

t.test('patroni health: one leader, every other node streaming', async (t) => {
  const members = [member('node1', 'primary'), member('node2', 'replica'), member('node3', 'replica')];
  t.same(patroniProblems({ members, streaming: ['node2', 'node3'] }, asyncLab), []);
  t.same(patroniProblems({ members, streaming: ['node2'] }, asyncLab), ['patroni: node3 is not streaming from the leader (running)'], "Patroni 3.0's `running` is not enough");
  t.match(patroniProblems({ members: [member('node1', 'primary'), member('node2', 'primary'), member('node3', 'replica')], streaming: ['node3'] }, asyncLab)[0], /2 leaders \(node1, node2\)/);
  const copying = [members[0]!, members[1]!, { ...members[2]!, state: 'creating replica' }];
  t.same(patroniProblems({ members: copying, streaming: ['node2', 'node3'] }, asyncLab), ['patroni: node3 is replica/creating replica'], "pg_basebackup's WAL stream is not a replica yet");
  t.match(patroniProblems({ members: members.slice(1), streaming: [] }, asyncLab), [/0 leaders/, /node1 is not a member/]);
  t.same(patroniProblems({ members, streaming: ['node2', 'node3'] }, syncLab), [NO_SYNC_STANDBY], 'synchronous_mode: no failover target until a sync standby is named');
  const named = [members[0]!, { ...members[1]!, syncStandby: true }, members[2]!];
  t.same(patroniProblems({ members: named, streaming: ['node2', 'node3'] }, syncLab), [], 'synchronous_mode with a sync standby');
  t.match(patroniProblems({ members, streaming: [], replicationError: 'node1: cannot read pg_stat_replication' }, asyncLab), ['node1: cannot read pg_stat_replication']);
});

t.test('status table in patronictl style', async (t) => {
  const health: LabHealth = {
    healthy: true,
    problems: [],
    members: [member('node1', 'primary'), member('node2', 'replica', 'streaming', 3 * 1048576), member('node3', 'replica', 'running', null)],
    streaming: ['node2', 'node3'],
    etcd: { askedNode: 'node1', members: [{ node: 'node1', endpoint: 'http://192.168.1.11:2379', healthy: true, took: '4ms' }] },
  };
  const text = formatStatus('dk1', health);
  const lines = text.split('\n');
  t.match(lines[0], /^\+ Cluster: dk1 -+\+/);
  t.equal(lines[1], '| Member | Host         | Role    | State     | TL | Lag in MB |');
  t.equal(lines[3], '| node1  | 192.168.1.11 | Leader  | running   |  1 |           |');
  t.equal(lines[4], '| node2  | 192.168.1.12 | Replica | streaming |  1 |         3 |');
  t.equal(lines[5], '| node3  | 192.168.1.13 | Replica | running   |  1 | unknown   |');
  t.match(text, /\| node1 +\| http:\/\/192\.168\.1\.11:2379 \| healthy \| 4ms +\|/);
  t.match(text, /healthy: etcd quorum, one leader, every replica streaming/);
  const syncRow = formatStatus('dk1', { ...health, members: [health.members[0]!, { ...health.members[1]!, syncStandby: true }, health.members[2]!] }).split('\n')[4];
  t.match(syncRow, /^\| node2 +\| 192\.168\.1\.12 \| Sync Standby \| streaming \|/, 'a synchronous standby is named as patronictl does');
  t.match(formatStatus('dk1', { ...health, healthy: false, problems: ['patroni: node3 is not streaming'] }), /NOT healthy:\n {2}- patroni: node3 is not streaming/);
  t.equal(lagInMb(member('node1', 'primary')), '');
  const table = renderTable(['a', 'bb'], [['1', 'x']]).split('\n');
  t.same(table, ['+---+----+', '| a | bb |', '+---+----+', '| 1 | x  |', '+---+----+']);
  t.equal(new Set(lines.slice(0, 7).map((l) => l.length)).size, 1, 'every line of the members table has the same width');
});

t.test('progress lines', async (t) => {
  t.equal(formatProgressEvent({ node: 'node1', step: '20-etcd', status: 'start' }, 1234), '[   1.2 s] node1    20-etcd ...');
  t.equal(formatProgressEvent({ node: null, step: 'network', status: 'ok', elapsedMs: 100 }, 2000), '[   2.0 s] lab      network ok (0.1 s)');
  t.equal(
    formatProgressEvent({ node: 'node2', step: '40-patroni', status: 'fail', elapsedMs: 3000, output: 'boom\n(full output: /x.log)' }, 9000),
    '[   9.0 s] node2    40-patroni FAILED (3.0 s)\n            | boom\n            | (full output: /x.log)',
    "a failure shows the step's output and where the full log is",
  );
  t.match(formatProgressEvent({ node: 'node1', step: 'x', status: 'ok' }, 0, true), /\x1b\[32mok\x1b\[0m/, 'colored on a terminal');
});

t.test('journalctl for lab logs', async (t) => {
  t.same(journalArgv('postgres', 50), ['journalctl', '--no-pager', '-n', '50', '-u', 'patroni.service'], 'PostgreSQL runs under Patroni');
  t.same(journalArgv('etcd', 10).slice(-2), ['-u', 'etcd.service']);
  t.same(journalArgv('ssh.service', 10).slice(-2), ['-u', 'ssh.service'], 'any unit as given');
  t.same(journalArgv(undefined, 10).slice(-1), ['-b'], "the whole boot's journal without a service");
});
