import t from 'tap';
import { categoryOf, describeSample } from '../../lab/report/labels.js';
import type { SampleEvent } from '../../lab/scenarios/history/history.js';

const sample = (over: Partial<SampleEvent>): SampleEvent => ({
  kind: 'sample',
  t: 0,
  node: 'node1',
  reachable: true,
  role: 'replica',
  state: 'streaming',
  timeline: 2,
  lag: 0,
  pg: 'replica',
  etcd: true,
  ...over,
});

t.test('a node is a lane of the picture by what PostgreSQL says, Patroni deciding replica from other', async (t) => {
  t.equal(categoryOf(sample({ pg: 'primary', role: 'primary' })), 'primary');
  t.equal(categoryOf(sample({})), 'replica');
  t.equal(categoryOf(sample({ role: 'primary' })), 'other', 'PostgreSQL in recovery while Patroni says primary');
  t.equal(categoryOf(sample({ pg: 'down', reachable: false })), 'down');
  t.equal(categoryOf(sample({ pg: 'down' })), 'other', 'PostgreSQL down with Patroni answering: starting, say');
});

t.test('a sample reads as its category, timeline and what is silent or down', async (t) => {
  t.equal(describeSample(sample({ pg: 'primary', role: 'primary' })), 'primary tl 2');
  t.equal(describeSample(sample({ timeline: null, reachable: false })), 'replica tl ? (patroni silent)');
  t.equal(describeSample(sample({ etcd: false })), 'replica tl 2, etcd down');
  t.equal(describeSample(sample({ pg: 'down', reachable: false, etcd: false })), 'down, etcd down');
  t.equal(
    describeSample(sample({ role: 'replica', state: 'starting', pg: 'down' })),
    'other: patroni replica/starting, postgres down',
  );
});
