/** `lab status`: the members table in patronictl's style and the etcd table, from a LabHealth. Pure. */
import t from 'tap';
import type { LabHealth, MemberStatus } from '../../lab/cluster/health.js';
import { formatStatus, lagInMb, renderTable } from '../../lab/commands/status.js';

const hosts: Record<string, string> = { node1: '192.168.1.11', node2: '192.168.1.12', node3: '192.168.1.13' };
const member = (name: string, role: MemberStatus['role'], state = 'running', lag: number | null = 0): MemberStatus => ({
  name,
  host: hosts[name]!,
  role,
  state,
  timeline: 1,
  lag: role === 'primary' ? null : lag,
  syncStandby: false,
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
