/** Scenario files: the shipped ones load; mistakes are reported by path, all at once. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { loadScenario, parseScenario, ScenarioError } from '../../lab/scenarios/load.js';
import { ROOT } from '../helpers.js';

const SHIPPED = [
  'failover',
  'postgres-crash',
  'etcd-member-stop',
  'watchdog',
  'partition',
  'switchover',
  'degraded-links',
  'partition-shapes',
  'process-pauses',
  'restart-rolling',
  'dcs-outage-failsafe',
  'dcs-outage',
  'haproxy-crash',
];

t.test('every shipped scenario loads', async (t) => {
  const files = (await readdir(path.join(ROOT, 'scenarios')))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace('.yaml', ''));
  t.same(files.sort(), [...SHIPPED].sort());
  for (const name of SHIPPED) {
    const s = await loadScenario(name, [path.join(ROOT, 'scenarios')]);
    t.equal(s.name, name);
    t.ok(s.steps.length > 0 && s.checks.length > 0, `${name} has steps and checks`);
  }
});

t.test('defaults: fault targets the leader, waits get a deadline, rejoined targets the previous leader', async (t) => {
  const s = parseScenario(
    'name: x\nsummary: y\nsteps:\n  - fault: crash-node\n  - wait: rejoined\nchecks: [single-primary]\n',
    'x.yaml',
  );
  t.same(s.steps, [
    { kind: 'fault', fault: 'crash-node', target: 'leader' },
    { kind: 'wait', condition: 'rejoined', target: 'previous-leader', within: '120s' },
  ]);
  t.same(s.checks, [{ name: 'single-primary', params: {} }]);
});

function problems(text: string): string[] {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

t.test('each mistake is named by its path', async (t) => {
  const found = problems(`name: bad
summary: all wrong
steps:
  - wait: healthy
    within: ttl + wat
  - fault: crash-nodes
  - fault: stop-service
    service: postgres
  - fault: failover
  - fault: kill-service
  - hold: leader
  - sleep: 5s
    wait: healthy
  - heal: nothing
  - wait: sunshine
  - fault: crash-node
    target: Node1
checks:
  - single-primary
  - failover-time: { within: ttl +, extra: 1 }
  - no-such-check
  - no-lost-writes: { require: sometimes }
`);
  const expected = [
    /^steps\[0\]\.within: unknown name "wat"/,
    /^steps\[1\]\.fault: unknown fault "crash-nodes"; expected one of crash-node, /,
    /^steps\[2\]\.service: stop-service accepts patroni, etcd, got postgres/,
    /^steps\[3\]\.to: failover needs a candidate node/,
    /^steps\[4\]\.service: kill-service needs a service/,
    /^steps\[5\]\.for: expected required property/,
    /^steps\[6\]: expected exactly one of wait, hold, fault, heal, sleep as the step's kind, got wait and sleep/,
    /^steps\[7\]\.heal: expected all or a fault name/,
    /^steps\[8\]\.wait: unknown condition "sunshine"; expected one of healthy,/,
    /^steps\[9\]\.target: expected leader, previous-leader, replica-1 to replica-9, etcd-leader, haproxy-node or a node name, got "Node1"/,
    /^checks\[1\]\.failover-time\.extra: unknown key; expected one of within/,
    /^checks\[1\]\.failover-time\.within: expression ends too early/,
    /^checks\[2\]: unknown check "no-such-check"/,
    /^checks\[3\]\.no-lost-writes\.require: expected one of "synchronous", "always", got "sometimes"/,
  ];
  for (const re of expected)
    t.ok(
      found.some((p) => re.test(p)),
      String(re),
    );
  if (!t.passing()) t.comment(found.join('\n'));
  t.equal(found.length, expected.length, 'one problem per mistake');
});

t.test('top-level problems and YAML syntax errors', async (t) => {
  t.match(problems('summary: s\nsteps: []\n').join('\n'), /name: expected required property/);
  t.match(problems('name: x\nsummary: s\nsteps: []\n').join('\n'), /steps: expected array length to be greater or equal to 1/);
  t.match(problems('name: x\nname: y\n').join('\n'), /not valid YAML: Map keys must be unique at line 2/);
  t.match(
    problems('name: x\nsummary: s\nsteps: [{sleep: 1s}]\ncolor: red\n').join('\n'),
    /color: unknown key; expected one of name, summary, steps, checks/,
  );
});

t.test('strings of a given form say in plain words what is allowed', async (t) => {
  t.same(problems('name: Fail Over\nsummary: ""\nsteps: [{sleep: ""}, {fault: crash-node, target: "node1; reboot"}]\n'), [
    'name: expected lowercase letters, digits and dashes, starting with a letter, got "Fail Over"',
    'summary: expected a sentence, not empty, got ""',
  ]);
  t.same(problems('name: x\nsummary: s\nsteps: [{sleep: ""}, {fault: crash-node, target: "node1; reboot"}]\n'), [
    'steps[0].sleep: expected a duration such as 30s or an expression such as ttl + loop_wait + 10s, got ""',
    'steps[1].target: expected leader, previous-leader, replica-1 to replica-9, etcd-leader, haproxy-node or a node name, got "node1; reboot"',
  ]);
});

t.test('YAML aliases: nested ones are refused at once, one before its anchor is a YAML error', async (t) => {
  const levels = 'abcdefghi'.split('');
  const bomb = levels
    .map(
      (l, i) =>
        `${l}: &${l} [${Array(9)
          .fill(i === 0 ? 'x' : `*${levels[i - 1]}`)
          .join(', ')}]`,
    )
    .join('\n');
  t.same(problems(`name: bomb\nsummary: s\n${bomb}\nsteps: [*i]\n`), [
    ': too many YAML aliases (more than 100 expansions: a "billion laughs" document?); write the values out instead of nesting aliases',
  ]);
  t.same(problems('name: x\nsummary: s\nsteps: [{sleep: *d}]\nchecks: [&d 1s]\n'), [
    ': not valid YAML: Unresolved alias (the anchor must be set before the alias): d',
  ]);
});

t.test('an unknown scenario name says where it looked', async (t) => {
  await t.rejects(loadScenario('nope', ['/tmp/none']), /no scenario nope \(looked for \/tmp\/none\/nope\.yaml\)/);
});

t.test("a fault's parameters (with:): defaults filled in, each mistake named", async (t) => {
  const s = parseScenario(
    'name: x\nsummary: s\nsteps:\n  - fault: latency\n    with: { delayMs: 150 }\n  - fault: packet-loss\n    to: replica-1\n',
    'x.yaml',
  );
  t.same(s.steps[0], { kind: 'fault', fault: 'latency', target: 'leader', params: { delayMs: 150, jitterMs: 0, forS: 1800 } });
  t.same(s.steps[1], { kind: 'fault', fault: 'packet-loss', target: 'leader', to: 'replica-1', params: { percent: 20 } });
  t.same(
    problems(
      'name: x\nsummary: s\nsteps:\n  - fault: crash-node\n    with: { fast: true }\n  - fault: packet-loss\n    with: { percent: 150, burst: 2 }\n',
    ),
    [
      'steps[0].with: crash-node takes no parameters (with:)',
      'steps[1].with.burst: unknown key; expected one of percent',
      'steps[1].with.percent: expected integer to be less or equal to 100, got 150',
    ],
  );
});

t.test('clients: chosen per mode; a wrong path, a duplicate or a reader without a writer is named', async (t) => {
  const head = 'name: x\nsummary: y\nsteps:\n  - wait: healthy\n';
  t.same(parseScenario(`${head}clients:\n  writers: [libpq]\n`, 'x.yaml').clients, { writers: ['libpq'] });
  t.equal(parseScenario(head, 'x.yaml').clients, undefined, 'left out: every client the lab allows');
  t.same(problems(`${head}clients:\n  writers: [haproxy-ro]\n  readers: [libpq]\n  others: []\n`), [
    'clients.others: unknown key; expected one of writers, readers',
    'clients.writers[0]: expected one of "haproxy-rw", "pgbouncer", "libpq", got "haproxy-ro"',
    'clients.readers[0]: expected \'haproxy-ro\', got "libpq"',
  ]);
  t.match(problems(`${head}clients:\n  writers: [libpq, libpq]\n`), [/^clients\.writers: .*unique/i]);
  t.same(problems(`${head}clients:\n  writers: []\n  readers: [haproxy-ro]\n`), [
    "clients.readers: a reader reads a writer's rows: expected at least one writer in clients.writers (or leave clients.writers out)",
  ]);
});

t.test('haproxy-node: a target for crash-node only, never a judged node nor a candidate', async (t) => {
  const head = 'name: x\nsummary: y\nsteps:\n';
  t.same(parseScenario(`${head}  - fault: crash-node\n    target: haproxy-node\n`, 'x.yaml').steps, [
    { kind: 'fault', fault: 'crash-node', target: 'haproxy-node' },
  ]);
  t.same(
    problems(
      `${head}  - fault: stop-service\n    service: patroni\n    target: haproxy-node\n  - wait: healthy\n    target: haproxy-node\n  - fault: switchover\n    to: haproxy-node\n`,
    ),
    [
      'steps[0].target: stop-service acts on a cluster node; haproxy-node takes crash-node',
      'steps[1].target: haproxy-node runs no Patroni: a wait judges a node of the cluster; expected a node or a role',
      'steps[2].to: expected a cluster node or a role, got haproxy-node',
    ],
  );
});
