/**
 * Interruptions, on one lab (its own name and subnet). An `up` interrupted part-way stops promptly,
 * and `down` then leaves nothing with the lab's label: through the API (an AbortSignal, mid-step)
 * and through the CLI (SIGINT, as Ctrl-C sends it). Then, the lab brought up: scenarios SIGKILLed
 * mid-fault, whose faults `lab heal` undoes (killed-mid-fault.ts), and a scenario stopped by SIGINT
 * mid-fault, which heals on its way out.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t, { type Test } from 'tap';
import { bringUp } from '../../lab/cluster/readiness.js';
import { ExitCode } from '../../lab/errors.js';
import { createTestLab, leftovers, requireEngine, runLab, type TestLab } from './docker-harness.js';
import { killedMidFault } from './killed-mid-fault.js';

const FIXTURE = 'interrupt-lab.yaml';

t.test('up aborted mid-step, then down', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab(FIXTURE);
  t.teardown(lab.destroy);

  const controller = new AbortController();
  let abortedAt = 0;
  const up = bringUp(lab.provider, lab.ctx, {
    signal: controller.signal,
    healthyTimeoutMs: 240_000,
    onStep: (e) => {
      // Part-way: the containers exist and etcd is being configured in them.
      if (e.step === '20-etcd' && e.status === 'start' && !abortedAt) {
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort(new Error('test interrupt'));
        }, 500);
      }
    },
  });
  await t.rejects(up, 'the interrupted up rejects');
  t.ok(abortedAt > 0, 'the up was interrupted after its containers were created');
  t.ok(Date.now() - abortedAt < 10_000, `it stopped promptly (${Date.now() - abortedAt} ms)`);
  t.not((await leftovers(lab.labId)).length, 0, 'the partial lab exists, labelled');

  await lab.provider.down();
  t.same(await leftovers(lab.labId), [], 'down leaves nothing with the lab label');
});

t.test('lab up stopped by SIGINT, then lab down', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab(FIXTURE);
  t.teardown(lab.destroy);

  const up = runLab(lab, ['up']);
  let interruptedAt = 0;
  up.stdout?.on('data', (chunk: Buffer) => {
    if (!interruptedAt && /20-etcd \.\.\./.test(chunk.toString())) {
      interruptedAt = Date.now();
      up.kill('SIGINT');
    }
  });
  const result = await up;
  t.ok(interruptedAt > 0, 'SIGINT was sent while etcd was being provisioned');
  t.equal(result.exitCode, ExitCode.interrupted, `lab up exits ${ExitCode.interrupted}: ${result.stderr}`);
  t.match(result.stderr, /lab down/, 'and says how to clean up');
  t.ok(Date.now() - interruptedAt < 10_000, `it stopped promptly (${Date.now() - interruptedAt} ms)`);
  t.not((await leftovers(lab.labId)).length, 0, 'the partial lab exists, labelled');

  const down = await runLab(lab, ['down']);
  t.equal(down.exitCode, 0, `lab down succeeds: ${down.stderr}`);
  t.same(await leftovers(lab.labId), [], 'lab down leaves nothing with the lab label');
});

/**
 * Ctrl-C during a scenario, while its fault is in place: `lab scenario` exits 130, the fault is
 * healed on the way out (no partition chain left on any node, the heal recorded in the report),
 * and the lab recovers to healthy without anyone touching it.
 */
async function partitionStoppedBySigint(t: Test, lab: TestLab): Promise<void> {
  const report = path.join(lab.work, 'partition.json');
  const run = runLab(lab, ['scenario', 'partition', '--json', report]);
  let interruptedAt = 0;
  let output = '';
  run.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    // Two seconds after the cut is in place: the old leader is isolated, nobody has taken over yet.
    if (!interruptedAt && /step 2 +ok: /.test(output)) {
      interruptedAt = Date.now();
      setTimeout(() => run.kill('SIGINT'), 2000);
    }
  });
  const result = await run;
  t.ok(interruptedAt > 0, 'SIGINT was sent while the partition was in place');
  t.equal(result.exitCode, ExitCode.interrupted, `lab scenario exits ${ExitCode.interrupted}: ${result.stderr}`);

  for (const node of lab.ctx.spec.nodes) {
    const rules = await lab.provider.exec(node.name, ['iptables', '-S'], { timeoutMs: 15_000 });
    t.equal(rules.exitCode, 0, `iptables -S on ${node.name}`);
    t.notMatch(rules.stdout, /LAB-PARTITION/, `no partition rule left on ${node.name}`);
  }
  const json = JSON.parse(await readFile(report, 'utf8')) as { interrupted: boolean; history: { events: { kind: string; fault?: string; ok?: boolean; detail?: string }[] } };
  t.equal(json.interrupted, true, 'the report says the run was interrupted');
  const heals = json.history.events.filter((e) => e.kind === 'heal');
  t.equal(heals.length, 1, 'one heal recorded');
  t.match(heals[0], { fault: 'partition', ok: true, detail: /removed LAB-PARTITION, reset \d+ etcd peer connection/ }, 'the partition was healed on the way out');

  const health = await lab.waitHealthy(180_000);
  t.ok(health.healthy, `the lab recovers by itself: ${health.samples.map((s) => `${s.node} ${s.role}`).join(', ')}`);
}

t.test('the lab up: scenarios interrupted mid-fault', { timeout: 1_500_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab(FIXTURE);
  t.teardown(lab.destroy);
  await bringUp(lab.provider, lab.ctx, { healthyTimeoutMs: 240_000 });
  await t.test('a scenario SIGKILLed mid-fault: the journal keeps the fault until `lab heal`', (t) => killedMidFault(t, lab));
  await t.test('lab scenario partition stopped by SIGINT mid-fault', (t) => partitionStoppedBySigint(t, lab));
});
