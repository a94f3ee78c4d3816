import t from 'tap';
import type { SampleEvent } from '../../lab/scenarios/history/history.js';
import { resolveRole } from '../../lab/scenarios/targets.js';
import type { LiveView } from '../../lab/scenarios/history/live.js';

const nodes = ['node3', 'node1', 'node2'];
const sample = (node: string, pg: 'primary' | 'replica' | 'down'): SampleEvent =>
  ({
    kind: 'sample',
    t: 0,
    node,
    reachable: true,
    role: null,
    state: null,
    timeline: 1,
    lag: null,
    pg,
    etcd: true,
  }) as SampleEvent;
const view = (leader?: string): LiveView => ({
  latest: new Map(nodes.map((n) => [n, sample(n, n === leader ? 'primary' : 'replica')])),
  complete: true,
});

t.test('resolveRole: leader, a replica by pick, any node by pick, in name order', async (t) => {
  t.same(resolveRole('leader', 5, view('node2'), nodes), { node: 'node2' });
  t.same(resolveRole('replica', 0, view('node2'), nodes), { node: 'node1' });
  t.same(resolveRole('replica', 1, view('node2'), nodes), { node: 'node3' });
  t.same(resolveRole('replica', 2, view('node2'), nodes), { node: 'node1' }, 'pick wraps around');
  t.same(resolveRole('any', 2, view('node2'), nodes), { node: 'node3' });
});

t.test('resolveRole: with no node accepting writes, leader and replica fall back to any node and say so', async (t) => {
  const r = resolveRole('leader', 1, view(), nodes);
  t.equal(r.node, 'node2');
  t.match(r.note, /no node accepts writes now: leader taken as any node/);
  t.equal(resolveRole('replica', 0, view(), nodes).node, 'node1');
});
