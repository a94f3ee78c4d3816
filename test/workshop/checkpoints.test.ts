/** Checkpoints judged from the samples the cluster probes take. */
import t from 'tap';
import type { NodeSample } from '../../lab/cluster/probe.js';
import { judgeCheckpoints, parseWatchdogArmed } from '../../lab/workshop/checkpoints.js';

const nodes = ['node1', 'node2', 'node3'];
const sample = (node: string, over: Partial<NodeSample> = {}): NodeSample => ({ node, reachable: false, role: null, state: null, timeline: null, lag: null, pg: 'down', etcd: false, ...over });

t.test('from nothing to a failover survived', async (t) => {
  t.same(judgeCheckpoints(nodes, { samples: nodes.map((n) => sample(n)), healthy: false }, false), [], 'packages only');
  const etcd = nodes.map((n) => sample(n, { etcd: true }));
  t.same(judgeCheckpoints(nodes, { samples: etcd, etcdMembers: ['node1', 'node2'], healthy: false }, false), [], 'a member missing: not formed');
  t.same(judgeCheckpoints(nodes, { samples: etcd, etcdMembers: nodes, healthy: false }, false), ['etcd']);
  const led = [sample('node1', { etcd: true, role: 'primary', state: 'running', pg: 'primary', timeline: 1 }), ...etcd.slice(1)];
  t.same(judgeCheckpoints(nodes, { samples: led, etcdMembers: nodes, healthy: false }, false), ['etcd', 'leader']);
  t.same(judgeCheckpoints(nodes, { samples: led, etcdMembers: nodes, healthy: true }, true), ['etcd', 'leader', 'watchdog'], 'timeline 1: no failover yet');
  const failedOver = [{ ...led[0]!, timeline: 2 }, ...etcd.slice(1)];
  t.same(judgeCheckpoints(nodes, { samples: failedOver, etcdMembers: nodes, healthy: true }, true), ['etcd', 'leader', 'watchdog', 'failover']);
  t.same(judgeCheckpoints(nodes, { samples: failedOver, etcdMembers: nodes, healthy: false }, true), ['etcd', 'leader', 'watchdog'], 'not healthy: not survived yet');
});

t.test('the watchdog emulator\'s state file', async (t) => {
  t.ok(parseWatchdogArmed('1 15\n'));
  t.notOk(parseWatchdogArmed('0 60\n'));
  t.notOk(parseWatchdogArmed(''));
});
