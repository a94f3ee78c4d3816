/** Lab health judgement and etcd's JSON: pure functions. */
import t from 'tap';
import { parseEndpointHealth, etcdProblems } from '../../lab/cluster/etcd.js';
import { NO_SYNC_STANDBY, patroniProblems, type MemberStatus } from '../../lab/cluster/health.js';

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
