/**
 * The Docker provider for real: up, status (one leader, the others streaming), a row written on the
 * leader read on every replica, a replica crashed and started again, every provisioner run again
 * changing nothing, a second up that changes nothing, a second lab beside it whose down leaves this one
 * running and healthy, then down leaving nothing labelled.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { waitUntil } from '../../lab/clock.js';
import { bringUp } from '../../lab/cluster/readiness.js';
import { SqlNode } from '../../lab/cluster/sql.js';
import { readSecrets } from '../../lab/labdir/secrets.js';
import { logFileFor } from '../../lab/providers/steps.js';
import { PROVISION_STEPS, stepCommand } from '../../lab/render/index.js';
import type { ProgressEvent } from '../../lab/providers/provider.js';
import { createTestLab, leftovers, requireEngine, runLab } from './docker-harness.js';

t.test('up, status, replication, idempotent up, down', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab('docker-lab-dk1.yaml');
  t.teardown(lab.destroy);
  const { provider, ctx } = lab;

  const events: ProgressEvent[] = [];
  const first = await bringUp(provider, ctx, { onStep: (e) => events.push(e), healthyTimeoutMs: 240_000 });
  t.ok(first.changed, 'the first up creates the lab');
  t.ok(events.some((e) => e.step === '40-patroni' && e.status === 'ok'), 'Patroni was provisioned');

  const health = await lab.health();
  t.ok(health.healthy, `healthy: ${health.problems.join('; ')}`);
  const leaders = health.samples.filter((s) => s.role === 'primary' && s.pg === 'primary');
  t.equal(leaders.length, 1, 'exactly one leader');
  const leader = leaders[0]!.node;
  const replicas = ctx.spec.nodes.map((n) => n.name).filter((n) => n !== leader);
  t.same([...(leaders[0]!.streaming ?? [])].sort(), replicas, 'every other node streams from the leader');
  t.same(health.samples.map((s) => [s.node, s.etcd]), ctx.spec.nodes.map((n) => [n.name, true]), 'every etcd member healthy');
  t.same([...(health.etcdMembers ?? [])].sort(), ctx.spec.nodes.map((n) => n.name), 'and every node is an etcd member');

  const status = await runLab(lab, ['status', '--json']);
  t.equal(status.exitCode, 0, `lab status exits 0 on a healthy lab: ${status.stderr}`);
  t.equal((JSON.parse(status.stdout) as { healthy: boolean }).healthy, true, 'lab status --json says healthy');

  const secrets = await readSecrets(ctx.dir);
  const sql = async (node: string): Promise<SqlNode> => new SqlNode((await provider.endpoints(node)).postgres, { password: secrets!.superuserPassword, connectTimeoutMs: 3000, queryTimeoutMs: 5000 });
  const marker = `row-${Date.now()}`;
  const primary = await sql(leader);
  try {
    await primary.query('CREATE TABLE IF NOT EXISTS lab_it (v text)');
    await primary.query('INSERT INTO lab_it VALUES ($1)', [marker]);
  } finally {
    await primary.close();
  }
  for (const replica of replicas) {
    const db = await sql(replica);
    try {
      t.equal((await db.role()).role, 'replica', `${replica} is in recovery`);
      await waitUntil(
        async () => ((await db.query('SELECT 1 FROM lab_it WHERE v = $1', [marker])).length === 1 ? { ok: true, value: true } : { ok: false, reason: 'row not replicated yet' }),
        { what: `the row on ${replica}`, timeoutMs: 30_000, intervalMs: 250 },
      );
      t.pass(`the row written on ${leader} is read on ${replica}`);
    } finally {
      await db.close();
    }
  }

  // crash: SIGKILL, and the restart policy (there for the watchdog's reboot -ff) must not undo it.
  const victim = replicas[0]!;
  const bootBefore = await provider.bootMarker(victim);
  await provider.crash(victim);
  await new Promise((r) => setTimeout(r, 5000));
  t.notOk((await provider.running()).includes(victim), `${victim} stays down after crash()`);
  t.equal((await provider.exec(leader, ['true'])).exitCode, 0, 'exec on another node still works');
  await provider.start(victim);
  t.not((await provider.bootMarker(victim)).marker, bootBefore.marker, 'start() gives a new boot marker');
  const healed = await lab.waitHealthy(120_000);
  t.ok(healed.samples.find((s) => s.node === leader)?.streaming?.includes(victim), `${victim} streams again after start()`);

  // Vagrant runs the provisioners again on `vagrant provision`: every step, again on every node in
  // up's order (after that node's crash and restart, too), succeeds and reports no change.
  // The marker is real: the first run of a step that configures something reports its changes.
  const firstPatroni = await readFile(logFileFor(ctx.dir, ctx.spec.nodes[0]!.name, '40-patroni'), 'utf8');
  t.match(firstPatroni, /: changed: .*config\.yml: written/, 'the first 40-patroni run reported the configuration it wrote');
  for (const step of PROVISION_STEPS) {
    for (const node of ctx.spec.nodes) {
      const again = await provider.exec(node.name, stepCommand(step, node.name), { timeoutMs: 600_000 });
      t.equal(again.exitCode, 0, `${step.script} again on ${node.name} succeeds${again.exitCode === 0 ? '' : `: ${again.stderr.trim().split('\n').pop() ?? ''}`}`);
      t.same(again.stdout.split('\n').filter((l) => l.includes(': changed: ')), [], `${step.script} again on ${node.name} changes nothing`);
    }
  }

  const second = await runLab(lab, ['up']);
  t.equal(second.exitCode, 0, `second up succeeds: ${second.stderr}`);
  t.match(second.stdout, /already up and healthy: nothing changed/, 'a second up changes nothing and says so');

  // A second lab beside this one (another name and subnet): each `down` removes only its own.
  const other = await createTestLab('docker-lab-dk2.yaml');
  t.teardown(other.destroy);
  t.not(other.labId, lab.labId, 'the labs have different ids');
  await bringUp(other.provider, other.ctx, { healthyTimeoutMs: 240_000 });
  const otherHealth = await other.health();
  t.ok(otherHealth.healthy, `${other.ctx.spec.name} healthy beside ${ctx.spec.name}: ${otherHealth.problems.join('; ')}`);
  await other.provider.down();
  t.same(await leftovers(other.labId), [], `${other.ctx.spec.name}: nothing left`);
  t.same((await provider.running()).sort(), ctx.spec.nodes.map((n) => n.name), `${ctx.spec.name}: every node still running after the other lab's down`);
  const still = await lab.health();
  t.ok(still.healthy, `${ctx.spec.name} still healthy after the other lab's down: ${still.problems.join('; ')}`);

  const down = await provider.down();
  t.ok(down.removed.some((r) => r.startsWith('network ')), 'down removed the network');
  t.same(await leftovers(lab.labId), [], 'no container, network or volume with the lab label is left');
});
