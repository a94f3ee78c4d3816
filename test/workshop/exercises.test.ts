/**
 * The handout's exercises: at every stage, each one's checkpoints are off before it and on after it
 * (judged by the same judgeCheckpoints status uses, on the cluster each exercise leaves), together
 * they reach every checkpoint, and each check needs nothing a later exercise brings.
 */
import t from 'tap';
import type { NodeSample } from '../../lab/cluster/probe.js';
import { validateSpec } from '../../lab/spec/parse.js';
import type { Stage } from '../../lab/spec/workshop.js';
import { CHECKPOINTS, GIVEN_BY_STAGE, judgeCheckpoints, WATCHDOG_STATE_FILE } from '../../lab/workshop/checkpoints.js';
import { seatExercises, type ExerciseId } from '../../lab/workshop/exercises.js';

const spec = (over: object = {}) =>
  validateSpec({ name: 'cls-s01', provider: 'docker', network: { subnet: '10.100.1.0/24' }, ...over }).spec!;
const nodes = ['node1', 'node2', 'node3'];

/** What the seat looks like to status after each exercise (and at the start of each stage). */
type Seen = { samples: NodeSample[]; etcdMembers: string[]; healthy: boolean; armed: boolean };
const sample = (node: string, over: Partial<NodeSample>): NodeSample => ({
  node,
  reachable: true,
  role: null,
  state: null,
  timeline: null,
  lag: null,
  pg: 'down',
  etcd: true,
  ...over,
});
const nothing: Seen = {
  samples: nodes.map((n) => sample(n, { etcd: false, reachable: false })),
  etcdMembers: [],
  healthy: false,
  armed: false,
};
const etcdFormed: Seen = { samples: nodes.map((n) => sample(n, {})), etcdMembers: nodes, healthy: false, armed: false };
const leading = (timeline: number): Seen => ({
  samples: nodes.map((n, i) =>
    sample(
      n,
      i === 0
        ? { role: 'primary', state: 'running', pg: 'primary', timeline }
        : { role: 'replica', state: 'streaming', pg: 'replica', timeline },
    ),
  ),
  etcdMembers: nodes,
  healthy: true,
  armed: true,
});
const AFTER: Record<ExerciseId, Seen> = { etcd: etcdFormed, watchdog: etcdFormed, patroni: leading(1), failover: leading(2) };
const AT_STAGE: Record<Stage, Seen> = { packages: nothing, etcd: etcdFormed, full: leading(1) };
const judge = (s: Seen) => judgeCheckpoints(nodes, s, s.armed);

/** What each exercise brings that a check may use: a check using one before its exercise fails. */
const BROUGHT_BY: [RegExp, ExerciseId][] = [
  [/etcdctl/, 'etcd'],
  [/lab-watchdog/, 'watchdog'],
  [/patronictl/, 'patroni'],
  [new RegExp(WATCHDOG_STATE_FILE.replace(/\./g, '\\.')), 'patroni'],
];

for (const stage of ['packages', 'etcd', 'full'] as const)
  t.test(`stage ${stage}: each exercise's checkpoints off before it, on after it, and every one reached`, async (t) => {
    const exercises = seatExercises(stage, spec());
    t.same(judge(AT_STAGE[stage]), GIVEN_BY_STAGE[stage], 'the stage gives what status calls n/a');
    let seen = AT_STAGE[stage];
    const done = new Set<ExerciseId>(stage === 'packages' ? [] : stage === 'etcd' ? ['etcd'] : ['etcd', 'watchdog', 'patroni']);
    for (const ex of exercises) {
      const before = judge(seen);
      t.same(
        ex.turnsOn.filter((c) => before.includes(c)),
        [],
        `${ex.id}: ${ex.turnsOn.join(', ') || 'nothing'} off before`,
      );
      done.add(ex.id);
      seen = AFTER[ex.id];
      const after = judge(seen);
      t.same(
        ex.turnsOn.filter((c) => !after.includes(c)),
        [],
        `${ex.id}: ${ex.turnsOn.join(', ') || 'nothing'} on after`,
      );
      t.same(
        after.filter((c) => !before.includes(c)),
        ex.turnsOn,
        `${ex.id}: says every checkpoint it turns on`,
      );
      for (const [uses, by] of BROUGHT_BY)
        if (uses.test(ex.check)) t.ok(done.has(by), `${ex.id}'s check uses what ${by} brings, done by then`);
      t.ok(
        ex.steps.length > 0 && ex.steps.every((s) => nodes.includes(s.node) && s.commands.length > 0),
        `${ex.id}: steps on nodes`,
      );
    }
    t.same(judge(seen), [...CHECKPOINTS], 'the last exercise leaves every checkpoint on');
    t.equal(exercises.at(-1)?.id, 'failover', 'the failover checkpoint has its exercise');
  });

t.test("the document's commands, fixed, as the main path; the lab's scripts as the fallback", async (t) => {
  const [etcd, watchdog, patroni, failover] = seatExercises(
    'packages',
    spec({ postgres: { version: 17, packageSource: 'distro' } }),
  );
  t.same(
    etcd!.steps.map((s) => s.node),
    nodes,
  );
  t.match(etcd!.steps[1]!.commands.join('\n'), 'cp /vagrant/nodes/node2/etcd.env /etc/default/etcd');
  t.match(etcd!.steps[1]!.commands.join('\n'), 'systemctl restart --no-block etcd.service', 'static members start together');
  t.match(etcd!.fallback!.join('\n'), 'ssh node3 bash /vagrant/provision/20-etcd.sh /vagrant/nodes/node3/node.env');
  t.same(etcd!.fixes.map((f) => f.id).sort(), [
    'etcd-initial-cluster-node3',
    'etcd-listen-peer-urls',
    'etcd-member-add-order',
    'stray-tilde',
  ]);
  t.notMatch(watchdog!.check, WATCHDOG_STATE_FILE, 'not armed before Patroni leads');
  t.match(
    patroni!.steps[2]!.commands.join('\n'),
    'install -D -m 600 -o postgres -g postgres /vagrant/nodes/node3/patroni.yml /etc/patroni/config.yml',
  );
  t.match(patroni!.steps[0]!.commands.join('\n'), 'rm -rf /var/lib/postgresql/17/main');
  t.match(failover!.steps[0]!.commands.join('\n'), 'ssh $old systemctl stop patroni');
  t.match(
    failover!.steps[0]!.commands.join('\n'),
    'ssh $old systemctl start patroni',
    'the old leader rejoins, so the cluster is healthy again',
  );
});

t.test("incremental bootstrap: the document's flow, each member added before it starts", async (t) => {
  const [etcd] = seatExercises('packages', spec({ etcd: { bootstrap: 'incremental' } }));
  t.same(
    etcd!.steps.map((s) => [s.node, s.commands.some((c) => c.startsWith('etcdctl member add'))]),
    [
      ['node1', false],
      ['node1', true],
      ['node2', false],
      ['node1', true],
      ['node3', false],
    ],
  );
  t.match(etcd!.steps[3]!.commands.join('\n'), 'etcdctl member add node3 --peer-urls=http://10.100.1.13:2380');
  t.notMatch(etcd!.steps[2]!.commands.join('\n'), '--no-block', 'one member at a time: each start returns');
});

t.test('watchdog off: no watchdog exercise, Patroni turns on only the leader', async (t) => {
  const exercises = seatExercises('packages', spec({ watchdog: { mode: 'off' } }));
  t.same(
    exercises.map((e) => e.id),
    ['etcd', 'patroni', 'failover'],
  );
  t.same(exercises[1]!.turnsOn, ['leader']);
});
