/** The one definition of a healthy lab, judged on node samples: pure. */
import t from 'tap';
import { describeSample, healthProblems, NO_SYNC_STANDBY } from '../../lab/cluster/health.js';
import type { NodeSample } from '../../lab/cluster/probe.js';

const nodes = ['node1', 'node2', 'node3'];
const primary = (node: string, extra: Partial<NodeSample> = {}): NodeSample => ({
  node,
  reachable: true,
  role: 'primary',
  state: 'running',
  timeline: 1,
  lag: null,
  pg: 'primary',
  streaming: nodes.filter((n) => n !== node),
  etcd: true,
  syncStandbys: [],
  ...extra,
});
const replica = (node: string, extra: Partial<NodeSample> = {}): NodeSample => ({
  node,
  reachable: true,
  role: 'replica',
  state: 'streaming',
  timeline: 1,
  lag: 0,
  pg: 'replica',
  etcd: true,
  ...extra,
});
const judge = (samples: NodeSample[], extra: { synchronousMode?: boolean; etcdMembers?: string[] } = {}) =>
  healthProblems({
    nodes,
    samples: new Map(samples.map((s) => [s.node, s])),
    synchronousMode: extra.synchronousMode ?? false,
    ...(extra.etcdMembers ? { etcdMembers: extra.etcdMembers } : {}),
  });

t.test('healthy: one leader, every other node streaming from it, every etcd member healthy', async (t) => {
  const verdict = judge([primary('node1'), replica('node2'), replica('node3', { state: 'running' })], { etcdMembers: nodes });
  t.same(verdict.problems, [], "Patroni 3.0's `running` counts once the leader lists the replica as streaming");
  t.equal(verdict.leader?.node, 'node1');
});

t.test('what keeps a lab from being healthy', async (t) => {
  t.match(judge([primary('node1', { streaming: ['node2'] }), replica('node2'), replica('node3')]).problems, [
    /node3: replica\/streaming tl 1, postgres replica: not streaming from node1 \(which streams to node2\)/,
  ]);
  t.match(judge([primary('node1'), primary('node2'), replica('node3')]).problems[0], 'node1 and node2 accept writes at once');
  t.match(judge([replica('node1'), replica('node2'), replica('node3')]).problems, ['no node accepts writes']);
  t.match(
    judge([primary('node1'), replica('node2'), replica('node3', { state: 'creating replica' })]).problems,
    [/node3: replica\/creating replica/],
    "pg_basebackup's WAL stream is not a replica yet",
  );
  t.match(
    judge([primary('node1'), replica('node2'), replica('node3', { timeline: 2 })]).problems,
    [/node3.*not streaming/],
    'another timeline is not streaming from the leader',
  );
  t.match(judge([primary('node1'), replica('node2', { etcd: false }), replica('node3')]).problems, [
    "etcd: node2's member is not healthy",
  ]);
  t.match(judge([primary('node1'), replica('node2')]).problems, ['node3: not sampled yet']);
  t.match(judge([primary('node1', { state: 'starting' }), replica('node2'), replica('node3')]).problems, [
    /node1: primary\/starting .*accepts writes but Patroni does not call it a running primary/,
  ]);
  t.match(
    judge([primary('node1'), replica('node2'), replica('node3')], { etcdMembers: ['node1', 'node2'] }).problems,
    [/etcd: node3 is not a member of the cluster \(node1, node2\)/],
    'a lone etcd answers healthy: membership tells',
  );
});

t.test('synchronous_mode: healthy only once a synchronous standby is named', async (t) => {
  const samples = [primary('node1'), replica('node2'), replica('node3')];
  t.same(judge(samples, { synchronousMode: true }).problems, [NO_SYNC_STANDBY]);
  t.same(
    judge([primary('node1', { syncStandbys: ['node2'] }), replica('node2'), replica('node3')], { synchronousMode: true })
      .problems,
    [],
  );
});

t.test('a node described in one line', async (t) => {
  t.equal(
    describeSample(replica('node2', { etcd: false }), 'node2'),
    'node2: replica/streaming tl 1, postgres replica, etcd unhealthy',
  );
  t.equal(describeSample({ ...replica('node2'), reachable: false, pg: 'down' }, 'node2'), 'node2: patroni silent, postgres down');
});
