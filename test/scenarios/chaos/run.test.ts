/**
 * A chaos run through the real engine against the simulated cluster (fake-lab.ts) in simulated time:
 * the schedule played, roles resolved to nodes and recorded, every fault healed, the History streamed
 * to disk and judged from there.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t, { type Test } from 'tap';
import { chaosCatalogue, generateSchedule, type ScheduleSettings } from '../../../lab/scenarios/chaos/schedule.js';
import { runChaos } from '../../../lab/scenarios/chaos/run.js';
import type { FaultEvent, HealEvent, StepEvent } from '../../../lab/scenarios/history/history.js';
import { simLab, SPEC } from '../fake-lab.js';

const SECRETS = { superuserPassword: 'x', replicationPassword: 'x', rewindPassword: 'x', restApiPassword: 'x' };
const settings: ScheduleSettings = {
  seed: 4,
  durationMs: 240_000,
  faults: chaosCatalogue(['crash-node', 'kill-service']),
  intervalMs: [20_000, 40_000],
  quietMs: 30_000,
  overlap: false,
};

async function chaos(t: Test, s = settings, during?: (lab: ReturnType<typeof simLab>, abort: AbortController) => Promise<void>) {
  const lab = simLab({ promoteAfterMs: 8_000, rejoinAfterMs: 2_000 });
  const historyFile = path.join(t.testdir(), 'history.jsonl');
  const abort = new AbortController();
  const running = runChaos({
    settings: s,
    historyFile,
    spec: SPEC,
    provider: lab.provider,
    secrets: SECRETS,
    clock: lab.clock,
    client: lab.client,
    journal: lab.journal,
    signal: abort.signal,
  });
  await during?.(lab, abort);
  return { lab, run: await lab.clock.run(running, 1000), historyFile };
}

t.test('the schedule is played as drawn: each fault at its time, on a node of its role, healed after its hold', async (t) => {
  const { lab, run, historyFile } = await chaos(t);
  const schedule = generateSchedule(settings);
  t.same(run.schedule, schedule, 'the schedule the seed gives');
  t.ok(
    schedule.some((s) => s.fault === 'crash-node'),
    'the seed draws a crash',
  );
  const faults = run.result.history.events.filter((e): e is FaultEvent => e.kind === 'fault');
  const heals = run.result.history.events.filter((e): e is HealEvent => e.kind === 'heal');
  t.same(
    faults.map((f) => f.fault),
    schedule.map((s) => s.fault),
    'every scheduled fault injected',
  );
  for (const [i, s] of schedule.entries()) {
    t.ok(Math.abs(faults[i]!.t - s.at) < 1000, `#${s.n} injected at ${faults[i]!.t} (scheduled ${s.at})`);
    t.ok(['node1', 'node2', 'node3'].includes(faults[i]!.node), `#${s.n} on a node: ${faults[i]!.node}`);
    const heal = heals.find((h) => h.t >= faults[i]!.t && h.fault === s.fault && h.node === faults[i]!.node)!;
    t.ok(
      heal && heal.t - faults[i]!.t >= s.holdMs && heal.t - faults[i]!.t < s.holdMs + 1000,
      `#${s.n} held ${heal?.t - faults[i]!.t} ms (${s.holdMs} drawn)`,
    );
  }
  const steps = run.result.history.events.filter((e): e is StepEvent => e.kind === 'step' && e.status !== 'start');
  t.same(
    steps.map((s) => s.status),
    schedule.map(() => 'ok'),
    'one step per fault, from injection to heal',
  );
  t.same(
    run.result.checks.map((c) => [c.name, c.status]),
    [
      ['steps', 'pass'],
      ['single-primary', 'pass'],
      ['no-lost-writes', 'pass'],
      ['faults-healed', 'pass'],
    ],
  );
  t.equal(run.result.verdict, 'pass');
  t.same(run.result.lab, { healthy: true, problems: [] });
  t.same(await lab.journal.entries(), [], 'nothing left journaled');
  t.ok(run.result.wallMs >= settings.durationMs, 'the run lasts its duration');
  const longest = run.figures.longest!;
  t.match(longest.cause ?? '', /^crash-node on node\d$/, 'the longest unavailability is laid to a crash');
  t.ok(
    faults.some((f) => `${f.fault} on ${f.node}` === longest.cause && f.t >= longest.from && f.t < longest.to),
    'and spans it',
  );
  const lines = (await readFile(historyFile, 'utf8')).trim().split('\n');
  t.same(Object.keys(JSON.parse(lines[0]!)), ['meta'], 'the file begins with the meta');
  const samples = lines.filter((l) => l.includes('"kind":"sample"')).length;
  const kept = run.result.history.events.filter((e) => e.kind === 'sample').length;
  t.ok(kept < samples / 10, `the checks read ${kept} of ${samples} samples: each node's repeats left out`);
  t.equal(lines.length - 1 - samples, run.result.history.events.length - kept, 'every other event read back');
});

t.test('the same seed twice: the same faults on the same nodes', async (t) => {
  const a = await chaos(t);
  const b = await chaos(t);
  const of = (r: typeof a) =>
    r.run.result.history.events.filter((e): e is FaultEvent => e.kind === 'fault').map((f) => [f.t, f.fault, f.node, f.detail]);
  t.same(of(a), of(b));
});

t.test('interrupted in the middle of a hold: the fault is healed in finally, the run says interrupted', async (t) => {
  const first = generateSchedule(settings)[0]!;
  const { lab, run } = await chaos(t, settings, async (lab, abort) => {
    await lab.clock.advance(first.at + 1500);
    abort.abort();
  });
  t.equal(run.result.interrupted, true);
  const heals = run.result.history.events.filter((e): e is HealEvent => e.kind === 'heal');
  t.equal(heals.length, 1, 'the fault in force was healed');
  t.equal(run.result.checks.find((c) => c.name === 'faults-healed')?.status, 'pass');
  t.same(await lab.journal.entries(), []);
  t.ok(run.result.wallMs < settings.durationMs, 'the schedule stopped');
});
