/**
 * The Docker provider for real, and what interrupting it leaves:
 * - an `up` interrupted part-way through the API (an AbortSignal, mid-step), on a lab of the
 *   document's addressing (node1..node3 at 192.168.1.11-13), stops promptly, and `down` then leaves
 *   nothing with the lab's label;
 * - then one lab for all the rest, the tuned asynchronous lab with HAProxy and PgBouncer
 *   (test/fixtures/scenario-lab.yaml): `lab up` stopped by SIGINT (as Ctrl-C sends it) exits 130
 *   leaving a labelled partial lab, which the next `lab up` completes;
 * - the HAProxy node installed nothing at that up: its packages came with the entry image;
 * - on that lab: status (one leader, the others streaming), a row written on the leader read on every
 *   replica, a replica crashed and started again, every provisioner run again changing nothing, a
 *   second up that changes nothing; the README's and docs' examples claimed for it (examples-on-lab.ts);
 * - scenarios SIGKILLed mid-fault, whose faults `lab heal` undoes (killed-mid-fault.ts), and a scenario
 *   stopped by SIGINT mid-fault, which heals on its way out;
 * - every shipped scenario through the entry points (scenarios-shipped.ts);
 * - a second lab beside it, the Vagrant provider's in Vagrant's parallel order (vagrant-parallel.ts),
 *   whose down leaves this one running and healthy;
 * - then `lab down`, leaving nothing labelled.
 * One lab for all of it: each bring-up costs CI's two cores about 50 CPU-seconds.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t, { type Test } from 'tap';
import { waitUntil } from '../../lab/clock.js';
import { bringUp } from '../../lab/cluster/readiness.js';
import { SqlNode } from '../../lab/cluster/sql.js';
import { ExitCode } from '../../lab/errors.js';
import { readSecrets } from '../../lab/labdir/secrets.js';
import { containerName, LABEL_ROLE } from '../../lab/providers/docker/naming.js';
import { logFileFor } from '../../lab/providers/tasks.js';
import { PROVISION_SCRIPTS, scriptCommand } from '../../lab/render/provisioning.js';
import { ciJob } from './ci-job.js';
import { examplesOnLab } from './examples-on-lab.js';
import { createTestLab, docker, leftovers, requireEngine, runLab, type TestLab } from './docker-harness.js';
import { suiteOnLab } from './scenario-suite.js';
import { SHIPPED_SUITE } from './scenarios-shipped.js';
import { killedMidFault } from './killed-mid-fault.js';
import { vagrantParallel } from './vagrant-parallel.js';

/** The document's addressing, for the up aborted mid-step. */
const DOCUMENT_LAB = 'docker-lab-dk1.yaml';
/** The lab of everything else, the shipped scenarios included. */
const SCENARIO_LAB = 'scenario-lab.yaml';

t.test('up aborted mid-step, then down', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab(DOCUMENT_LAB);
  t.teardown(lab.destroy);

  const controller = new AbortController();
  let abortedAt = 0;
  const up = bringUp(lab.provider, lab.ctx, {
    signal: controller.signal,
    healthyTimeoutMs: 240_000,
    onProgress: (e) => {
      // Part-way: the containers exist and etcd is being configured in them.
      if (e.task === '20-etcd' && e.status === 'start' && !abortedAt) {
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
  const json = JSON.parse(await readFile(report, 'utf8')) as {
    interrupted: boolean;
    history: { events: { kind: string; fault?: string; ok?: boolean; detail?: string }[] };
  };
  t.equal(json.interrupted, true, 'the report says the run was interrupted');
  const heals = json.history.events.filter((e) => e.kind === 'heal');
  t.equal(heals.length, 1, 'one heal recorded');
  t.match(
    heals[0],
    { fault: 'partition', ok: true, detail: /removed LAB-PARTITION, reset \d+ etcd peer connection/ },
    'the partition was healed on the way out',
  );

  const health = await lab.waitHealthy(180_000);
  t.ok(health.healthy, `the lab recovers by itself: ${health.samples.map((s) => `${s.node} ${s.role}`).join(', ')}`);
}

/**
 * The HAProxy node runs from the entry image, and its step at `up` found HAProxy and PgBouncer
 * there: no apt-get, so a lab whose images exist needs no package mirror.
 */
async function entryInstalledNothing(t: Test, lab: TestLab): Promise<void> {
  const haproxy = lab.ctx.spec.entry?.haproxy;
  if (!haproxy) return void t.fail(`${lab.ctx.spec.name} has no HAProxy node`);
  const container = await docker.getContainer(containerName(lab.labId, haproxy.name)).inspect();
  const image = await docker.getImage(container.Image).inspect();
  t.equal(image.Config.Labels?.[LABEL_ROLE], 'entry-image', `${haproxy.name} runs from the entry image`);
  const log = await readFile(logFileFor(lab.ctx.dir, haproxy.name, '50-entry'), 'utf8');
  t.match(log, /already installed: \S*haproxy \S*pgbouncer/, 'its step found HAProxy and PgBouncer installed');
  t.notMatch(log, /apt-get/, 'and ran no apt-get at up');
}

const replicasOf = (health: { samples: { node: string }[] }, leader: string): string[] =>
  health.samples.map((s) => s.node).filter((n) => n !== leader);

/** The Docker provider's own promises, on a lab `lab up` made. */
async function dockerProvider(t: Test, lab: TestLab): Promise<void> {
  const { provider, ctx } = lab;
  const health = await lab.health();
  t.ok(health.healthy, `healthy: ${health.problems.join('; ')}`);
  const leaders = health.samples.filter((s) => s.role === 'primary' && s.pg === 'primary');
  t.equal(leaders.length, 1, 'exactly one leader');
  const leader = leaders[0]!.node;
  const replicas = ctx.spec.nodes.map((n) => n.name).filter((n) => n !== leader);
  t.same([...(leaders[0]!.streaming ?? [])].sort(), replicas, 'every other node streams from the leader');
  t.same(
    health.samples.map((s) => [s.node, s.etcd]),
    ctx.spec.nodes.map((n) => [n.name, true]),
    'every etcd member healthy',
  );
  t.same(
    [...(health.etcdMembers ?? [])].sort(),
    ctx.spec.nodes.map((n) => n.name),
    'and every node is an etcd member',
  );

  const status = await runLab(lab, ['status', '--json']);
  t.equal(status.exitCode, 0, `lab status exits 0 on a healthy lab: ${status.stderr}`);
  t.equal((JSON.parse(status.stdout) as { healthy: boolean }).healthy, true, 'lab status --json says healthy');

  // A DBA reaches PostgreSQL from the host with the lab's credentials and never sees the password.
  const onReplica = await runLab(lab, [
    'psql',
    replicasOf(health, leader)[0]!,
    '--',
    '-Atc',
    'select pg_is_in_recovery(), current_user',
  ]);
  t.equal(onReplica.stdout.trim(), 't|postgres', `lab psql NODE reaches that node as the superuser: ${onReplica.stderr}`);
  const throughPath = await runLab(lab, ['psql', '--', '-Atc', 'select pg_is_in_recovery()']);
  t.equal(
    throughPath.stdout.trim(),
    'f',
    `lab psql without a node takes the first read-write path, to the leader: ${throughPath.stderr}`,
  );
  const patronictl = await runLab(lab, ['exec', leader, '--', 'patronictl', 'list']);
  for (const node of ctx.spec.nodes)
    t.match(patronictl.stdout, node.name, `patronictl list, with no -c, lists ${node.name}: ${patronictl.stderr}`);
  const env = await runLab(lab, ['env']);
  const secretsNow = await readSecrets(ctx.dir);
  t.notOk(env.stdout.includes(secretsNow!.superuserPassword), 'lab env prints no password by default');
  t.match(env.stdout, /export PGPASSFILE='[^']+\/pgpass'/, "it points at the lab's password file instead");

  const secrets = await readSecrets(ctx.dir);
  const sql = async (node: string): Promise<SqlNode> =>
    new SqlNode((await provider.endpoints(node)).postgres, {
      password: secrets!.superuserPassword,
      connectTimeoutMs: 3000,
      queryTimeoutMs: 5000,
    });
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
        async () =>
          (await db.query('SELECT 1 FROM lab_it WHERE v = $1', [marker])).length === 1
            ? { ok: true, value: true }
            : { ok: false, reason: 'row not replicated yet' },
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
  for (const script of PROVISION_SCRIPTS) {
    for (const node of ctx.spec.nodes) {
      const again = await provider.exec(node.name, scriptCommand(script, node.name), { timeoutMs: 600_000 });
      t.equal(
        again.exitCode,
        0,
        `${script.script} again on ${node.name} succeeds${again.exitCode === 0 ? '' : `: ${again.stderr.trim().split('\n').pop() ?? ''}`}`,
      );
      t.same(
        again.stdout.split('\n').filter((l) => l.includes(': changed: ')),
        [],
        `${script.script} again on ${node.name} changes nothing`,
      );
    }
  }

  const second = await runLab(lab, ['up']);
  t.equal(second.exitCode, 0, `second up succeeds: ${second.stderr}`);
  t.match(second.stdout, /already up and healthy: nothing changed/, 'a second up changes nothing and says so');
}

/**
 * A second lab beside this one, of another name, subnet and provider: Vagrant's, in its parallel
 * order (vagrant-parallel.ts). Its `lab down` removes only its own. Last before this lab's down: the
 * other CI half is then in its chaos run, which waits more than it computes, rather than in its own
 * `vagrant up`, which the two bring-ups slowed by half.
 */
async function secondLabBeside(t: Test, lab: TestLab): Promise<void> {
  await t.test("a second lab beside it: the Vagrant provider's, in Vagrant's parallel order", vagrantParallel);
  t.same(
    (await lab.provider.running()).sort(),
    lab.ctx.spec.nodes.map((n) => n.name),
    `${lab.ctx.spec.name}: every node still running after the other lab's down`,
  );
  const still = await lab.health();
  t.ok(still.healthy, `${lab.ctx.spec.name} still healthy after the other lab's down: ${still.problems.join('; ')}`);
}

t.test(
  'lab up stopped by SIGINT, finished by the next lab up; the Docker provider on it; scenarios interrupted mid-fault; every shipped scenario; lab down',
  { timeout: 2_400_000 },
  async (t) => {
    await requireEngine();
    const lab = await createTestLab(SCENARIO_LAB);
    t.teardown(lab.destroy);

    const interrupted = runLab(lab, ['up']);
    let interruptedAt = 0;
    interrupted.stdout?.on('data', (chunk: Buffer) => {
      if (!interruptedAt && /20-etcd \.\.\./.test(chunk.toString())) {
        interruptedAt = Date.now();
        interrupted.kill('SIGINT');
      }
    });
    const stopped = await interrupted;
    t.ok(interruptedAt > 0, 'SIGINT was sent while etcd was being provisioned');
    t.equal(stopped.exitCode, ExitCode.interrupted, `lab up exits ${ExitCode.interrupted}: ${stopped.stderr}`);
    t.match(stopped.stderr, /lab down/, 'and says how to clean up');
    t.ok(Date.now() - interruptedAt < 10_000, `it stopped promptly (${Date.now() - interruptedAt} ms)`);
    t.not((await leftovers(lab.labId)).length, 0, 'the partial lab exists, labelled');

    const up = await runLab(lab, ['up'], 900_000);
    t.equal(up.exitCode, 0, `the next lab up completes the lab: ${up.stderr}`);
    for (const node of lab.ctx.spec.nodes)
      t.match(up.stdout, new RegExp(`${node.name}\\s+40-patroni ok`), `${node.name}: Patroni was provisioned`);
    t.match(up.stdout, /is up and healthy/, 'and lab up waited for a healthy lab');
    await t.test('the HAProxy node installed nothing at up', (t) => entryInstalledNothing(t, lab));

    await t.test('the Docker provider: status, replication, crash and start, provisioners again, a second up', (t) =>
      dockerProvider(t, lab),
    );
    await t.test("the README's and docs' examples on this lab, each showing what it claims", (t) => examplesOnLab(t, lab));
    await t.test('a scenario SIGKILLed mid-fault: the journal keeps the fault until `lab heal`', (t) => killedMidFault(t, lab));
    await t.test('lab scenario partition stopped by SIGINT mid-fault', (t) => partitionStoppedBySigint(t, lab));
    await t.test('every shipped scenario through the entry points', (t) =>
      suiteOnLab(t, { file: path.join(lab.work, 'lab.yaml'), dir: lab.ctx.dir }, SHIPPED_SUITE, { keepLab: true }),
    );
    await t.test('a second lab beside it, whose down leaves it running', (t) => secondLabBeside(t, lab));

    // The lab's down is docs/ci.md's job's cleanup step.
    await t.test("docs/ci.md's job: a scenario with a workload, the artifacts, the cleanup's lab down", (t) => ciJob(t, lab));
  },
);
