/** `lab status`: the table of node samples in patronictl's style, the verdict, and the faults left in force. Pure. */
import t from 'tap';
import type { LabHealth } from '../../lab/cluster/health.js';
import type { NodeSample } from '../../lab/cluster/probe.js';
import {
  formatFaults,
  formatNotUp,
  formatStatus,
  lagInMb,
  renderTable,
  type FaultStatus,
} from '../../lab/commands/status-report.js';

const nodes = [1, 2, 3].map((i) => ({ name: `node${i}`, ip: `192.168.1.1${i}`, index: i }));
const sample = (node: string, role: NodeSample['role'], state: string, lag: number | null): NodeSample => ({
  node,
  reachable: true,
  role,
  state,
  timeline: 1,
  lag,
  pg: role === 'primary' ? 'primary' : 'replica',
  etcd: true,
  ...(role === 'primary' ? { streaming: ['node2', 'node3'], syncStandbys: [] } : {}),
});

t.test('status table in patronictl style', async (t) => {
  const health: LabHealth = {
    healthy: true,
    problems: [],
    samples: [
      sample('node1', 'primary', 'running', null),
      sample('node2', 'replica', 'streaming', 3 * 1048576),
      sample('node3', 'replica', 'running', null),
    ],
    etcdMembers: ['node1', 'node2', 'node3'],
    leader: 'node1',
  };
  const text = formatStatus('dk1', { nodes }, health);
  const lines = text.split('\n');
  t.match(lines[0], /^\+ Cluster: dk1 -+\+/);
  t.equal(lines[1], '| Member | Host         | Role    | State     | TL | Lag in MB | PostgreSQL | etcd    |');
  t.equal(lines[3], '| node1  | 192.168.1.11 | Leader  | running   |  1 |           | primary    | healthy |');
  t.equal(lines[4], '| node2  | 192.168.1.12 | Replica | streaming |  1 |         3 | replica    | healthy |');
  t.equal(lines[5], '| node3  | 192.168.1.13 | Replica | running   |  1 | unknown   | replica    | healthy |');
  t.match(text, /etcd members: node1, node2, node3/);
  t.match(text, /healthy: etcd quorum, one leader, every replica streaming/);
  const withSync = {
    ...health,
    samples: [{ ...health.samples[0]!, syncStandbys: ['node2'] }, health.samples[1]!, health.samples[2]!],
  };
  t.match(
    formatStatus('dk1', { nodes }, withSync).split('\n')[4],
    /^\| node2 +\| 192\.168\.1\.12 \| Sync Standby \| streaming \|/,
    'a synchronous standby is named as patronictl does',
  );
  const silent = {
    ...health,
    samples: [
      health.samples[0]!,
      {
        ...health.samples[1]!,
        reachable: false,
        role: null,
        state: null,
        timeline: null,
        lag: null,
        pg: 'down' as const,
        etcd: false,
      },
      health.samples[2]!,
    ],
    etcdMembers: ['node1', 'node3'],
  };
  t.match(
    formatStatus('dk1', { nodes }, silent).split('\n')[4],
    /^\| node2 +\| 192\.168\.1\.12 \| +\| patroni silent \| +\| +\| down +\| unhealthy, not a member \|/,
  );
  t.match(
    formatStatus('dk1', { nodes }, { ...health, healthy: false, problems: ['node3: not streaming'] }),
    /NOT healthy:\n {2}- node3: not streaming/,
  );
  t.equal(lagInMb(health.samples[0]!), '');
  const table = renderTable(['a', 'bb'], [['1', 'x']]).split('\n');
  t.same(table, ['+---+----+', '| a | bb |', '+---+----+', '| 1 | x  |', '+---+----+']);
  t.equal(new Set(lines.slice(0, 7).map((l) => l.length)).size, 1, 'every line of the members table has the same width');
});

const fault = (runAlive: boolean): FaultStatus => ({
  entry: {
    id: 'e1',
    fault: 'partition',
    node: 'node1',
    record: { peers: ['10.0.0.12'] },
    at: '2026-11-26T12:00:00.000Z',
    run: { id: 'r1', scenario: 'partition', pid: 4242 },
  },
  seen: 'still in force: LAB-PARTITION chain present (4 rule(s))',
  runAlive,
});

t.test('status names each fault left in force, what the node shows of it, and the command that heals it', async (t) => {
  t.equal(
    formatFaults([fault(false)], '/labs/x/faults.json', '/labs/x'),
    [
      'FAULTS IN FORCE, journaled in /labs/x/faults.json by a scenario:',
      '  - partition on node1 (scenario partition, run r1, pid 4242, since 2026-11-26T12:00:00.000Z): still in force: LAB-PARTITION chain present (4 rule(s))',
      'heal them: lab heal -d /labs/x',
      '',
    ].join('\n'),
  );
});

t.test('a fault whose scenario still runs is its own to heal: no heal command then', async (t) => {
  const text = formatFaults([fault(true)], '/labs/x/faults.json', '/labs/x');
  t.match(text, /; its scenario is still running and heals it on exit\n$/);
  t.notMatch(text, /lab heal/);
});

t.test('nothing journaled, nothing said', async (t) => {
  t.equal(formatFaults([], '/labs/x/faults.json', '/labs/x'), '');
});

t.test('a lab none of whose nodes runs is said to be not up, with the command that brings it up', async (t) => {
  t.equal(
    formatNotUp('pgha', 'docker', 3, 'lab.yaml'),
    'lab pgha (docker) is not up: none of its 3 nodes is running\nbring it up: lab up\n',
  );
  t.match(
    formatNotUp('ci', 'vagrant', 3, 'ci/lab.yaml'),
    /bring it up: lab up -f ci\/lab.yaml\n$/,
    'with the file the user named',
  );
});
