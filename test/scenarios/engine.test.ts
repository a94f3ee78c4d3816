/**
 * The engine against a simulated cluster (fake-lab.ts) in simulated time: the real steps, waits,
 * faults, heals, History and checks, with only the machines, the services and the clock simulated.
 */
import path from 'node:path';
import t from 'tap';
import { runScenario, type RunResult } from '../../lab/scenarios/engine.js';
import type { HealEvent, HistoryEvent, StepEvent } from '../../lab/scenarios/history/history.js';
import { loadScenario, parseScenario } from '../../lab/scenarios/load.js';
import { ROOT } from '../helpers.js';
import { ExitCode, LabError } from '../../lab/errors.js';
import { simLab, SPEC } from './fake-lab.js';

const SECRETS = { superuserPassword: 'x', replicationPassword: 'x', rewindPassword: 'x', restApiPassword: 'x' };

function scenario(name: string, steps: string, checks = '[]') {
  return parseScenario(`name: ${name}\nsummary: a test\nsteps:\n${steps}\nchecks: ${checks}\n`, `${name}.yaml`);
}

/** Runs a scenario on a fresh simulated lab; `during` acts on the lab while the run goes on, then the clock runs it to the end. */
async function run(
  s: ReturnType<typeof scenario>,
  during?: (lab: ReturnType<typeof simLab>, controller: AbortController) => Promise<void>,
) {
  const lab = simLab();
  const controller = new AbortController();
  const running = runScenario({
    scenario: s,
    spec: SPEC,
    provider: lab.provider,
    secrets: SECRETS,
    clock: lab.clock,
    client: lab.client,
    journal: lab.journal,
    signal: controller.signal,
  });
  await during?.(lab, controller);
  // Sleepers wake at their own times whatever the step: a long step only saves flushing.
  const result = await lab.clock.run(running, 1000);
  return { lab, result };
}

const steps = (r: RunResult) => r.history.events.filter((e): e is StepEvent => e.kind === 'step');
const ended = (r: RunResult) => steps(r).filter((e) => e.status !== 'start');
const startOf = (r: RunResult, index: number) => steps(r).find((e) => e.index === index && e.status === 'start')!;
const endOf = (r: RunResult, index: number) => ended(r).find((e) => e.index === index)!;
const of = <K extends HistoryEvent['kind']>(r: RunResult, kind: K) =>
  r.history.events.filter((e): e is Extract<HistoryEvent, { kind: K }> => e.kind === kind);
const check = (r: RunResult, name: string) => r.checks.find((c) => c.name === name)!;

t.test(
  'the shipped failover scenario passes: crash the leader, a replica takes over in bound, heal, the old leader rejoins',
  async (t) => {
    const { lab, result } = await run(await loadScenario(path.join(ROOT, 'scenarios/failover.yaml')));
    t.same(
      ended(result).map((e) => e.status),
      ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
      'every step ok',
    );
    t.same(
      result.checks.map((c) => [c.name, c.status]),
      [
        ['steps', 'pass'],
        ['single-primary', 'pass'],
        ['failover-time', 'pass'],
        ['no-lost-writes', 'pass'],
        ['timeline-advanced', 'pass'],
        ['rejoined', 'pass'],
        ['etcd-quorum', 'pass'],
      ],
    );
    t.equal(result.verdict, 'pass');
    t.same(lab.provider.calls, ['crash node1', 'start node1']);
    t.same(
      of(result, 'fault').map((e) => [e.fault, e.node]),
      [['crash-node', 'node1']],
    );
    t.same(
      of(result, 'heal').map((e) => [e.node, e.ok, e.detail]),
      [['node1', true, 'started']],
    );
    const fault = of(result, 'fault')[0]!;
    t.equal(result.figures.newLeader, 'node2');
    t.ok(
      result.figures.promotionMs! >= 21_000 && result.figures.promotionMs! <= 21_250,
      `promoted at the simulated 21 s, seen by the next sample (${result.figures.promotionMs} ms)`,
    );
    t.match(endOf(result, 2).detail, /^node2 took over on timeline 2 after 21\.\d s$/);
    const rejoined = endOf(result, 4);
    t.ok(rejoined.t - endOf(result, 3).t >= 4000, 'rejoined no sooner than the simulated 4 s after the heal');
    const read = of(result, 'final-read')[0]!;
    const acked = of(result, 'write')
      .filter((w) => w.phase === 'ok')
      .map((w) => w.seq);
    t.equal(read.node, 'node2', 'read back from the new leader');
    const okBy = (node: string, from: number, to: number) =>
      of(result, 'write').filter((w) => w.phase === 'ok' && w.node === node && w.t >= from && w.t < to).length;
    t.equal(fault.t, 4000, 'the fault once the lab is healthy (replicas streaming after the simulated 4 s)');
    t.ok(
      okBy('node1', 0, fault.t) > 50 && okBy('node2', fault.t, Infinity) > 50,
      'writes acknowledged by the old leader before the fault, then by the new one',
    );
    t.same(read.seqs, acked, 'every acknowledged write found');
    t.same(result.lab, { healthy: true, problems: [] });
    t.equal(result.interrupted, false);
    t.equal(result.wallMs, result.history.events.at(-1)!.t, 'wall time is simulated time');
  },
);

t.test('a wait that misses its deadline fails at exactly the deadline, and the later steps are skipped', async (t) => {
  const s = scenario(
    'slow',
    [
      '  - wait: healthy',
      '  - fault: crash-node',
      '  - wait: new-leader',
      '    within: 10s',
      '  - heal: crash-node',
      '  - wait: rejoined',
    ].join('\n'),
  );
  const { result } = await run(s);
  const failed = endOf(result, 2);
  t.equal(failed.status, 'fail');
  t.equal(failed.t - startOf(result, 2).t, 10_000, 'failed at the deadline, in simulated time');
  t.equal(failed.detail, 'not within 10s (10.0 s): no node accepts writes');
  t.same(
    ended(result)
      .slice(3)
      .map((e) => [e.index, e.status, e.detail]),
    [
      [3, 'skipped', 'step 3 failed'],
      [4, 'skipped', 'step 3 failed'],
    ],
  );
  t.equal(check(result, 'steps').status, 'fail');
  t.equal(result.verdict, 'fail');
});

t.test('a step that fails still heals the fault in place, in finally', async (t) => {
  const s = scenario(
    'broken-hold',
    ['  - wait: healthy', '  - fault: crash-node', '  - hold: leader-unchanged', '    for: 30s', '  - wait: healthy'].join('\n'),
  );
  const { lab, result } = await run(s);
  const failed = endOf(result, 2);
  t.equal(failed.status, 'fail');
  t.match(failed.detail, /^stopped holding after 0\.\d s: no node accepts writes$/);
  t.same(lab.provider.calls, ['crash node1', 'start node1'], 'the provider started the crashed node again');
  const heals = of(result, 'heal');
  t.same(
    heals.map((e: HealEvent) => [e.fault, e.node, e.ok, e.detail]),
    [['crash-node', 'node1', true, 'started']],
  );
  t.ok(heals[0]!.t >= failed.t, 'healed after the failure');
  t.same(await lab.journal.entries(), [], 'and forgotten by the journal once healed');
  t.same(result.lab, { healthy: true, problems: [] }, 'the lab settles once healed');
});

t.test('hold: held for its duration; broken mid-way by a definite violation', async (t) => {
  const s = scenario(
    'holds',
    [
      '  - wait: healthy',
      '  - hold: leader-unchanged',
      '    for: 5s',
      '  - sleep: 3s',
      '  - hold: leader-unchanged',
      '    for: 60s',
    ].join('\n'),
  );
  const { result } = await run(s, async (lab) => {
    // From outside the scenario, so the engine has nothing to heal: the node is back a second later.
    await lab.clock.advance(15_000);
    await lab.provider.crash('node1');
    await lab.clock.advance(1000);
    await lab.provider.start('node1');
  });
  const held = endOf(result, 1);
  t.equal(held.status, 'ok');
  t.equal(held.t - startOf(result, 1).t, 5000, 'ends when its time is up');
  t.match(held.detail, /^held for 5s \(21 observations\)$/, 'looked every 250 ms, at both ends');
  t.equal(endOf(result, 2).t - startOf(result, 2).t, 3000, 'sleep takes its duration');
  const broken = endOf(result, 3);
  t.equal(broken.status, 'fail');
  t.ok(broken.t > 15_000 && broken.t <= 15_500, `broken at the first look after the crash (${broken.t} ms)`);
  t.match(broken.detail, /^stopped holding after 3\.\d s: no node accepts writes$/);
  t.same(of(result, 'heal'), [], 'no fault of the scenario to heal');
});

t.test('targets: replica-N and previous-leader are the roles when first named, leader is whoever leads now', async (t) => {
  const s = scenario(
    'targets',
    [
      '  - wait: healthy',
      '  - fault: crash-node',
      '    target: replica-2',
      '  - heal: crash-node',
      '    target: node3',
      '  - wait: rejoined',
      '    target: replica-2',
      '    within: 30s',
      '  - fault: crash-node',
      '    target: leader',
      '  - wait: new-leader',
      '    within: 30s',
      '  - heal: crash-node',
      '    target: previous-leader',
      '  - wait: rejoined',
      '    within: 30s',
      '  - fault: crash-node',
      '    target: leader',
    ].join('\n'),
  );
  const { lab, result } = await run(s);
  t.same(
    ended(result).map((e) => e.status),
    Array(9).fill('ok'),
    'every step ok',
  );
  t.same(
    of(result, 'fault').map((e) => e.node),
    ['node3', 'node1', 'node2'],
    'replica-2, then the leader, then the new leader',
  );
  t.same(
    of(result, 'heal').map((e) => e.node),
    ['node3', 'node1', 'node2'],
    'the last fault healed in finally',
  );
  t.same(lab.provider.calls, ['crash node3', 'start node3', 'crash node1', 'start node1', 'crash node2', 'start node2']);
  t.match(endOf(result, 3).detail, /^node3 streams from node1 on timeline 1/);
  t.match(endOf(result, 7).detail, /^node1 streams from node2 on timeline 2/, 'rejoined defaults to previous-leader');
});

t.test('a target that names no node fails its step, saying what there is', async (t) => {
  const { lab, result } = await run(
    scenario('no-such', ['  - wait: healthy', '  - fault: crash-node', '    target: replica-3'].join('\n')),
  );
  t.equal(endOf(result, 1).status, 'fail');
  t.equal(endOf(result, 1).detail, 'replica-3: there were only 2 streaming replica(s) (node2, node3)');
  t.same(lab.provider.calls, [], 'nothing was crashed');
});

t.test('an abort mid-scenario heals the fault and returns interrupted', async (t) => {
  const { lab, result } = await run(await loadScenario(path.join(ROOT, 'scenarios/failover.yaml')), async (lab, controller) => {
    await lab.clock.advance(5000);
    t.same(lab.provider.calls, ['crash node1'], 'the fault is in place');
    controller.abort(new Error('SIGINT'));
  });
  t.equal(result.interrupted, true);
  t.same(
    ended(result).map((e) => [e.index, e.status]),
    [
      [0, 'ok'],
      [1, 'ok'],
      [2, 'skipped'],
      [3, 'skipped'],
      [4, 'skipped'],
      [5, 'skipped'],
    ],
  );
  t.ok(
    ended(result)
      .slice(2)
      .every((e) => e.detail === 'interrupted'),
  );
  t.same(lab.provider.calls, ['crash node1', 'start node1']);
  const heal = of(result, 'heal')[0]!;
  t.same([heal.node, heal.ok], ['node1', true]);
  t.ok(heal.t >= 5000 && heal.t < 5250, `healed at once (${heal.t} ms)`);
  t.equal(check(result, 'steps').status, 'unknown', 'steps that did not run are not a pass');
});

t.test('a check that throws is unknown, and so is the verdict', async (t) => {
  const s = scenario(
    'bad-bound',
    ['  - wait: healthy', '  - fault: crash-node', '  - wait: new-leader', '  - heal: crash-node', '  - wait: rejoined'].join(
      '\n',
    ),
    // Valid syntax the loader accepts; negative only once the lab's timings are known, when the check runs.
    '[single-primary, {failover-time: {within: "loop_wait - ttl"}}]',
  );
  const { result } = await run(s);
  t.same(
    result.checks.map((c) => [c.name, c.status]),
    [
      ['steps', 'pass'],
      ['single-primary', 'pass'],
      ['failover-time', 'unknown'],
    ],
  );
  t.equal(check(result, 'failover-time').summary, 'the check could not be evaluated: "loop_wait - ttl" is -18 s, not a duration');
  t.equal(result.verdict, 'unknown');
});

t.test(
  'before anything runs, a lab without entry points refuses (exit 3): the HAProxy node as a target, clients it lacks',
  async (t) => {
    const lab = simLab();
    const start = (s: ReturnType<typeof scenario>, extra = {}) =>
      runScenario({
        scenario: s,
        spec: SPEC,
        provider: lab.provider,
        secrets: SECRETS,
        clock: lab.clock,
        client: lab.client,
        journal: lab.journal,
        ...extra,
      });
    const refused = async (what: string, running: Promise<unknown>, message: RegExp) => {
      const err = await running.then(
        () => null,
        (e: unknown) => e,
      );
      t.ok(
        err instanceof LabError && err.exitCode === ExitCode.badInput && message.test(err.message),
        `${what}: ${err instanceof Error ? err.message : String(err)}`,
      );
    };
    await refused(
      'haproxy-crash',
      start(await loadScenario(path.join(ROOT, 'scenarios/haproxy-crash.yaml'))),
      /acts on the HAProxy node \(target: haproxy-node\), and lab \S+ has none/,
    );
    await refused(
      'clients',
      start({ ...scenario('c', '  - wait: healthy'), clients: { writers: ['libpq'] } }),
      /clients\.writers names libpq/,
    );
    t.same(lab.provider.calls, [], 'nothing was done to the lab');
  },
);
