/** Checkpoints judged from the samples the cluster probes take, and one look at a seat through a fake engine. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { NodeSample } from '../../lab/cluster/probe.js';
import { ExitCode } from '../../lab/errors.js';
import type { Provider } from '../../lab/providers/provider.js';
import { validateSpec } from '../../lab/spec/parse.js';
import {
  CHECKPOINT_TEXT,
  CHECKPOINTS,
  judgeCheckpoints,
  parseWatchdogArmed,
  probeCheckpoints,
} from '../../lab/workshop/checkpoints.js';
import { tempDir } from '../helpers.js';

const nodes = ['node1', 'node2', 'node3'];
const sample = (node: string, over: Partial<NodeSample> = {}): NodeSample => ({
  node,
  reachable: false,
  role: null,
  state: null,
  timeline: null,
  lag: null,
  pg: 'down',
  etcd: false,
  ...over,
});
const etcd = nodes.map((n) => sample(n, { etcd: true }));
const leader = (over: Partial<NodeSample> = {}) => [
  sample('node1', { etcd: true, role: 'primary', state: 'running', pg: 'primary', timeline: 1, ...over }),
  ...etcd.slice(1),
];

t.test('from nothing to a failover survived', async (t) => {
  t.same(judgeCheckpoints(nodes, { samples: nodes.map((n) => sample(n)), healthy: false }, false), [], 'packages only');
  t.same(
    judgeCheckpoints(nodes, { samples: etcd, etcdMembers: ['node1', 'node2'], healthy: false }, false),
    [],
    'a member missing: not formed',
  );
  t.same(judgeCheckpoints(nodes, { samples: etcd, etcdMembers: nodes, healthy: false }, false), ['etcd']);
  t.same(judgeCheckpoints(nodes, { samples: leader(), etcdMembers: nodes, healthy: false }, false), ['etcd', 'leader']);
  t.same(
    judgeCheckpoints(nodes, { samples: leader(), etcdMembers: nodes, healthy: true }, true),
    ['etcd', 'leader', 'watchdog'],
    'timeline 1: no failover yet',
  );
  t.same(judgeCheckpoints(nodes, { samples: leader({ timeline: 2 }), etcdMembers: nodes, healthy: true }, true), [
    'etcd',
    'leader',
    'watchdog',
    'failover',
  ]);
  t.same(
    judgeCheckpoints(nodes, { samples: leader({ timeline: 2 }), etcdMembers: nodes, healthy: false }, true),
    ['etcd', 'leader', 'watchdog'],
    'not healthy: not survived yet',
  );
});

t.test('each checkpoint asks for what it says, and no more', async (t) => {
  const oneEtcdDown = [sample('node1', { etcd: true }), sample('node2', { etcd: false }), sample('node3', { etcd: true })];
  t.same(
    judgeCheckpoints(nodes, { samples: oneEtcdDown, etcdMembers: nodes, healthy: false }, false),
    [],
    'a member listed but not healthy: not formed',
  );
  t.same(
    judgeCheckpoints(nodes, { samples: etcd, etcdMembers: [...nodes, 'node4'], healthy: false }, false),
    ['etcd'],
    'a member more than the nodes is the cluster formed all the same',
  );
  t.same(
    judgeCheckpoints(nodes, { samples: leader({ state: 'starting' }), etcdMembers: nodes, healthy: false }, true),
    ['etcd'],
    'a primary still starting: no leader, so no watchdog either',
  );
  t.same(
    judgeCheckpoints(nodes, { samples: leader({ pg: 'replica' }), etcdMembers: nodes, healthy: false }, true),
    ['etcd'],
    "Patroni's leader whose PostgreSQL is not primary: no leader",
  );
  t.same(
    judgeCheckpoints(nodes, { samples: etcd, etcdMembers: nodes, healthy: false }, true),
    ['etcd'],
    'an armed watchdog without a leader counts for nothing',
  );
  t.same(
    judgeCheckpoints(nodes, { samples: leader({ timeline: 3 }), etcdMembers: nodes, healthy: true }, false),
    ['etcd', 'leader', 'failover'],
    'a failover survived without the watchdog armed',
  );
  t.same(
    judgeCheckpoints(nodes, { samples: leader({ timeline: 2 }), healthy: true }, false),
    ['leader', 'failover'],
    'no member list: etcd not judged formed',
  );
});

t.test('every checkpoint is described for the handouts', async (t) => {
  t.same(Object.keys(CHECKPOINT_TEXT), [...CHECKPOINTS]);
});

t.test("the watchdog emulator's state file", async (t) => {
  t.ok(parseWatchdogArmed('1 15\n'));
  t.ok(parseWatchdogArmed('  1\t15'));
  t.notOk(parseWatchdogArmed('0 60\n'));
  t.notOk(parseWatchdogArmed('10 60\n'));
  t.notOk(parseWatchdogArmed(''));
});

/** A seat's engine with the lab's containers running but none of its services answering: nothing is dialed. */
function fakeEngine(running: string[]) {
  const execs: string[][] = [];
  const provider = {
    running: async () => running,
    endpoints: async (node: string) => {
      throw new Error(`${node}: no endpoints on the fake engine`);
    },
    exec: async (_node: string, argv: string[]) => {
      execs.push(argv);
      return { exitCode: 0, stdout: '1 15\n', stderr: '' };
    },
  };
  return { provider: provider as unknown as Provider, execs };
}

const seatSpec = validateSpec({ name: 'cls-s01', provider: 'docker', network: { subnet: '10.100.1.0/24' } }).spec!;

t.test('one look at a seat whose services do not answer yet', async (t) => {
  const dir = await tempDir(t);
  const secret = 'abcdefghijklmnop';
  writeFileSync(
    path.join(dir, 'secrets.json'),
    JSON.stringify({ superuserPassword: secret, replicationPassword: secret, rewindPassword: secret, restApiPassword: secret }),
  );
  const engine = fakeEngine(['node1', 'node2']);
  const probe = await probeCheckpoints(engine.provider, seatSpec, dir);
  t.equal(probe.running, 2, 'the containers the engine runs');
  t.same(probe.checkpoints, []);
  t.equal(probe.health.healthy, false);
  t.match(probe.health.problems, [/etcd: no member answered/]);
  t.same(engine.execs, [], 'no leader: the watchdog state is not read');
});

t.test('a seat without its secrets is a bad lab directory, not an engine failure', async (t) => {
  const dir = await tempDir(t);
  await t.rejects(probeCheckpoints(fakeEngine([]).provider, seatSpec, dir), {
    exitCode: ExitCode.badInput,
    message: /no secrets\.json/,
  });
});
