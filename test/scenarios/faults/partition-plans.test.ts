import t from 'tap';
import {
  dcsOutage,
  etcdOnly,
  halves,
  loss,
  majoritiesRing,
  oneWay,
  type NodeCut,
} from '../../../lab/scenarios/faults/partition-plans.js';

const lab = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `node${i + 1}`, ip: `10.0.0.${11 + i}` }));
const ipOf = (name: string) => `10.0.0.${10 + Number(name.slice(4))}`;

/** Which pairs can exchange packets both ways (what TCP needs), from the cuts. */
function talking(n: number, cuts: NodeCut[]): string[] {
  const drops = (from: string, to: string) =>
    cuts.some((c) => c.node === from && c.rules.some((r) => r.peer === ipOf(to) && r.dir !== 'in')) ||
    cuts.some((c) => c.node === to && c.rules.some((r) => r.peer === ipOf(from) && r.dir !== 'out'));
  const names = lab(n).map((x) => x.name);
  return names.flatMap((a, i) =>
    names
      .slice(i + 1)
      .filter((b) => !drops(a, b) && !drops(b, a))
      .map((b) => `${a}-${b}`),
  );
}

t.test('halves: the minority side starts at the target, both ends of every cut link drop', async (t) => {
  t.same(talking(3, halves(lab(3), 'node2')), ['node1-node3'], 'three nodes: the target alone against two');
  t.same(
    talking(5, halves(lab(5), 'node4')),
    ['node1-node2', 'node1-node3', 'node2-node3', 'node4-node5'],
    'five: the target and its successor against three',
  );
  t.same(talking(4, halves(lab(4), 'node1')), ['node1-node2', 'node3-node4'], 'four: two and two');
});

t.test('majorities ring: every node hears a majority, no two the same one', async (t) => {
  const five = majoritiesRing(lab(5), 'node1');
  const hears = (node: string) =>
    lab(5)
      .filter((p) => p.name === node || !five.find((c) => c.node === node)!.rules.some((r) => r.peer === p.ip))
      .map((p) => p.name)
      .sort();
  const seen = lab(5).map((n) => hears(n.name).join(','));
  t.ok(
    seen.every((s) => s.split(',').length === 3),
    'each hears three of five',
  );
  t.equal(new Set(seen).size, 5, 'five different majorities');
  t.ok(
    five.every((c) => c.rules.every((r) => r.dir === 'in')),
    'only incoming packets are dropped',
  );
  t.same(
    talking(5, five),
    ['node1-node2', 'node1-node5', 'node2-node3', 'node3-node4', 'node4-node5'],
    'the ring: each talks to its two neighbours',
  );
  const three = majoritiesRing(lab(3), 'node1');
  t.same(
    three.map((c) => [c.node, c.rules.map((r) => r.peer)]),
    [
      ['node1', ['10.0.0.13']],
      ['node2', ['10.0.0.11']],
      ['node3', ['10.0.0.12']],
    ],
    'three: each hears only its successor',
  );
  t.same(talking(3, three), [], 'so over TCP nobody talks');
});

t.test('one-way, etcd-only, DCS outage and loss', async (t) => {
  t.same(oneWay(lab(3), 'node1', 'in'), [
    {
      node: 'node1',
      rules: [
        { peer: '10.0.0.12', dir: 'in' },
        { peer: '10.0.0.13', dir: 'in' },
      ],
    },
  ]);
  t.same(oneWay(lab(3), 'node1', 'out', 'node3'), [{ node: 'node1', rules: [{ peer: '10.0.0.13', dir: 'out' }] }], 'one link');
  const etcd = etcdOnly(lab(3), 'node2');
  t.same(
    etcd.map((c) => c.node),
    ['node2', 'node1', 'node3'],
    "both ends of the target's links",
  );
  t.ok(
    etcd.every((c) => c.rules.every((r) => r.ports?.join() === '2379,2380')),
    'only etcd ports',
  );
  t.same(
    dcsOutage(lab(3)).map((c) => [c.node, c.rules]),
    lab(3).map((n) => [n.name, [{ dir: 'in', ports: [2379, 2380] }]]),
    'every node, from any address',
  );
  t.same(loss(lab(3), 'node1', 25, 'node2'), [{ node: 'node1', rules: [{ peer: '10.0.0.12', dir: 'both', probability: 0.25 }] }]);
});
