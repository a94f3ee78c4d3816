/**
 * Ctrl-C during a scenario, while its fault is in place: `lab scenario` exits 130, the fault is
 * healed on the way out (no partition chain left on any node, the heal recorded in the report),
 * and the lab recovers to healthy without anyone touching it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { bringUp } from '../../lab/cluster/readiness.js';
import { ExitCode } from '../../lab/errors.js';
import { createTestLab, requireEngine, runLab } from './docker-harness.js';

t.test('lab scenario partition stopped by SIGINT mid-fault', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab('docker-lab-dk4.yaml');
  t.teardown(lab.destroy);
  await bringUp(lab.provider, lab.ctx, { healthyTimeoutMs: 240_000 });

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
});
