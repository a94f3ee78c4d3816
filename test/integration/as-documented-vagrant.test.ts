/**
 * The generated Vagrantfile, run by Vagrant itself with its docker provider, as the README tells a
 * DBA to run it: `vagrant up --no-parallel` (VirtualBox's order: each node fully provisioned before
 * the next exists) and a parallel `vagrant up` (libvirt's and docker's order, here through `lab up`),
 * then `lab status` and the failover and watchdog scenarios through the Vagrant provider, and
 * `lab down`/`vagrant destroy` leaving no container, network or image of the lab.
 * On the same machines, no lab of their own: both forms of etcd's and Patroni's units start the same
 * lab (unit-forms.ts), and a Ctrl-C of `lab up` leaves nothing that stops the next `lab up` or `lab down`.
 * Named so that tap, which starts files in name order, starts this one, the longest, first.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import t, { type Test } from 'tap';
import { LabAccess } from '../../lab/cluster/access.js';
import { labHealthy, waitFor } from '../../lab/cluster/readiness.js';
import { ExitCode } from '../../lab/errors.js';
import { specContext, type LabContext } from '../../lab/labdir/context.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { ensureNodeImage } from '../../lab/providers/docker/node-image.js';
import { labFilter } from '../../lab/providers/docker/naming.js';
import { DockerMachines, vagrantNetworkName } from '../../lab/providers/vagrant/docker-machines.js';
import { VagrantProvider } from '../../lab/providers/vagrant/provider.js';
import { UNITS } from '../../lab/render/node-layout.js';
import { ROOT } from '../helpers.js';
import { docker, requireEngine, runLabIn } from './docker-harness.js';
import { installPerconaForm, sh, THROUGH_DROP_INS as LAB, unitOf } from './unit-forms.js';

const FIXTURE = path.join(ROOT, 'test/fixtures/vagrant-lab-vg.yaml');

/** `vagrant ARGS` in the lab directory, as a user runs it (no update check: no traffic off this host). */
function vagrant(dir: string, args: string[], timeoutMs: number) {
  return execa('vagrant', args, { cwd: dir, reject: false, timeout: timeoutMs, all: true, env: { VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' } });
}

const lastLines = (text: string | undefined, n = 40): string => (text ?? '').trimEnd().split('\n').slice(-n).join('\n');

/**
 * The lab came up with Debian's units; each node in turn is switched to the Percona packaging's form
 * (etcd `--config-file`, Patroni 4.1 Type=notify) and its etcd and Patroni restarted, and the lab must
 * be healthy again after each: the lab's drop-ins decide how both start, whichever unit is installed.
 */
async function bothUnitForms(t: Test, ctx: LabContext): Promise<void> {
  const provider = new VagrantProvider(ctx.spec, ctx.dir);
  const access = await LabAccess.forLab(provider, ctx.dir);
  try {
    const nodes = ctx.spec.nodes.map((n) => n.name);
    const config = ctx.spec.patroni.configPath;
    const debian = await waitFor(labHealthy(access, ctx.spec, 180_000));
    t.ok(debian.healthy, "healthy with Debian's units");
    t.same([...(debian.etcdMembers ?? [])].sort(), nodes, 'every node is a member of one etcd cluster');
    for (const node of nodes) {
      const etcd = await unitOf(provider, node, UNITS.etcd);
      t.match(etcd.FragmentPath, /^\/(usr\/)?lib\/systemd\/system\/etcd\.service$/, `${node}: etcd runs Debian's unit`);
      t.match(etcd.DropInPaths, LAB.dropIn(UNITS.etcd), `${node}: with the lab's drop-in`);
      t.match(etcd.ExecStart, LAB.etcdExecStart, `${node}: etcd runs as the drop-in says, without arguments`);
      t.equal(etcd.Running, LAB.etcdRunning, `${node}: and so it runs`);
      t.equal(etcd.EnvironmentFiles, LAB.etcdEnvironmentFiles, `${node}: reading only the lab's environment file`);
      const patroni = await unitOf(provider, node, UNITS.patroni);
      t.equal(patroni.Type, 'simple', `${node}: Patroni is Type=simple`);
      t.match(patroni.ExecStart, LAB.patroniExecStart(config), `${node}: with the lab's configuration`);
      t.match(patroni.Running, LAB.patroniRunning(config), `${node}: and so it runs`);
    }

    let percona = debian;
    for (const node of nodes) {
      await installPerconaForm(provider, node);
      // etcd's unit is Type=notify: restart returns once the member has rejoined.
      await sh(provider, node, `systemctl restart ${UNITS.etcd} && systemctl restart ${UNITS.patroni}`);
      percona = await waitFor(labHealthy(access, ctx.spec, 180_000));
      t.ok(percona.healthy, `healthy again once ${node} runs the Percona packaging's units`);
    }
    t.same([...(percona.etcdMembers ?? [])].sort(), nodes, 'one etcd cluster of every node, not a lone etcd per node');
    for (const node of nodes) {
      const etcd = await unitOf(provider, node, UNITS.etcd);
      t.equal(etcd.FragmentPath, `/etc/systemd/system/${UNITS.etcd}`, `${node}: etcd runs the Percona form's unit`);
      t.match(etcd.DropInPaths, LAB.dropIn(UNITS.etcd), `${node}: with the lab's drop-in`);
      t.match(etcd.ExecStart, LAB.etcdExecStart, `${node}: which replaces \`etcd --config-file\``);
      t.equal(etcd.Running, LAB.etcdRunning, `${node}: and so it runs, restarted`);
      t.equal(etcd.EnvironmentFiles, LAB.etcdEnvironmentFiles, `${node}: reading the lab's environment file`);
      const patroni = await unitOf(provider, node, UNITS.patroni);
      t.equal(patroni.FragmentPath, `/etc/systemd/system/${UNITS.patroni}`, `${node}: Patroni runs the 4.1 unit`);
      t.match(patroni.DropInPaths, LAB.dropIn(UNITS.patroni), `${node}: with the lab's drop-in`);
      t.equal(patroni.Type, 'simple', `${node}: as Type=simple, not notify`);
      t.match(patroni.ExecStart, LAB.patroniExecStart(config), `${node}: with the lab's configuration, not /etc/patroni/patroni.yml`);
      t.match(patroni.Running, LAB.patroniRunning(config), `${node}: and so it runs, restarted`);
    }
  } finally {
    await access.close();
    await provider.close();
  }
}

/** Progress lines of `lab up` once a machine's provisioner has started. */
const PROVISIONING = /\]\s+node\d+\s+\d\d-[a-z]+ \.\.\./;

t.test('vagrant up of the generated Vagrantfile in both orders; status and scenarios through the Vagrant provider', { timeout: 2_400_000 }, async (t) => {
  await requireEngine();
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-vg-'));
  const file = path.join(work, 'lab.yaml');
  const dir = path.join(work, 'lab');
  await copyFile(FIXTURE, file);
  let phase = Date.now();
  const took = (what: string): void => {
    t.comment(`${what}: ${((Date.now() - phase) / 1000).toFixed(1)} s`);
    phase = Date.now();
  };

  // The packages, installed once by the Docker provider's node image (reused when another test built
  // it); the docker machines' image is built from it, as a box could come with them.
  const first = await specContext({ file, dir });
  await generateLab(first);
  const packaged = await ensureNodeImage({ docker, spec: first.spec, dir, labId: `${first.spec.name}-packages` }, {});
  t.teardown(async () => {
    if (packaged.built) await docker.getImage(packaged.tag).remove().catch(() => undefined);
  });
  took('node image with the packages');
  await writeFile(file, (await readFile(FIXTURE, 'utf8')).replace('baseImage: pgha-lab/base:trixie', `baseImage: ${packaged.tag}`));
  const ctx = await specContext({ file, dir });
  await generateLab(ctx);
  const lab = (args: string[], timeoutMs?: number) => runLabIn(work, file, dir, args, timeoutMs);

  const machines = new DockerMachines(ctx.spec, dir, docker);
  const labId = await machines.labId();
  const network = vagrantNetworkName(ctx.spec.network.subnet);
  const leftovers = async (): Promise<string[]> => {
    const containers = await docker.listContainers({ all: true, filters: labFilter(labId) });
    const images = await docker.listImages({ filters: labFilter(labId) });
    const networks = (await docker.listNetworks()).filter((n) => n.Name === network);
    return [...containers.map((c) => `container ${c.Names.join(',')}`), ...images.map((i) => `image ${i.Id}`), ...networks.map((n) => `network ${n.Name}`)];
  };
  t.teardown(async () => {
    await vagrant(dir, ['destroy', '--force'], 600_000);
    await machines.removeLeftovers().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  // VirtualBox's order. No node waits for a node defined after it; the last one waits for the cluster.
  const sequential = await vagrant(dir, ['up', '--no-parallel'], 1_200_000);
  took('vagrant up --no-parallel');
  t.equal(sequential.exitCode, 0, `vagrant up --no-parallel succeeds\n${sequential.exitCode === 0 ? '' : lastLines(sequential.all)}`);
  t.match(sequential.all, /\[node1\] patroni: not waiting for Patroni: etcd's cluster version is not decided/, 'node1 does not wait for a Patroni that cannot reach etcd yet');
  t.match(sequential.all, /\[node3\] patroni: the cluster: 3 members, one leader, every replica running: ok/, 'node3, the last, waits until the whole cluster runs');
  const created = await docker.listContainers({ filters: labFilter(labId) });
  t.equal(created.length, ctx.spec.nodes.length, "every machine's container carries the lab id the provider computes (the Vagrantfile's label agrees)");

  // The waits of bothUnitForms first, then `lab status`'s one judgement: on a loaded host a probe
  // through a fresh ssh forward can miss its 1 s bound just after vagrant up (seen at load 20 on 2 cores).
  await bothUnitForms(t, ctx);
  took("both unit forms: Debian's, then Percona packaging's node by node");

  const status = await lab(['status', '--json']);
  took('lab status');
  t.equal(status.exitCode, 0, `lab status through the Vagrant provider exits 0 on the lab vagrant up made, its units switched: ${status.stderr}${status.exitCode === 0 ? '' : status.stdout}`);
  t.equal((JSON.parse(status.stdout || '{}') as { healthy?: boolean }).healthy, true, 'lab status --json says healthy');

  const destroyed = await vagrant(dir, ['destroy', '--force'], 600_000);
  took('vagrant destroy');
  t.equal(destroyed.exitCode, 0, `vagrant destroy succeeds\n${destroyed.exitCode === 0 ? '' : lastLines(destroyed.all)}`);
  t.same(await leftovers(), [], 'vagrant destroy leaves no container, image or network of the lab');

  // libvirt's and docker's order: every machine at once, through `lab up` and its progress. Ctrl-C
  // once a provisioner runs: lab exits as interrupted, and the next `lab up` completes the lab.
  const interrupted = lab(['up'], 600_000);
  const provisioning = await new Promise<boolean>((resolve) => {
    let said = '';
    interrupted.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (PROVISIONING.test(said)) resolve(true);
    });
    void interrupted.then(() => resolve(false));
  });
  t.ok(provisioning, 'lab up shows a machine being provisioned before the Ctrl-C');
  interrupted.kill('SIGINT');
  const stopped = await interrupted;
  took('lab up, Ctrl-C while provisioning');
  t.equal(stopped.exitCode, ExitCode.interrupted, `Ctrl-C: lab up exits ${ExitCode.interrupted}\n${stopped.exitCode === ExitCode.interrupted ? '' : `${lastLines(stopped.stdout)}\n${stopped.stderr}`}`);
  t.match(stopped.stderr, /lab up was interrupted/, 'and says so');
  t.not((await leftovers()).length, 0, 'the partial lab exists, labelled, for the next lab up or lab down');

  const up = await lab(['up'], 1_200_000);
  took('lab up (vagrant up, parallel)');
  t.equal(up.exitCode, 0, `lab up (a parallel vagrant up) succeeds\n${up.exitCode === 0 ? '' : `${lastLines(up.stdout)}\n${up.stderr}`}`);
  for (const node of ctx.spec.nodes) t.match(up.stdout, new RegExp(`${node.name}\\s+40-patroni ok`), `progress shows ${node.name}'s provisioners, from vagrant --machine-readable`);
  t.match(up.stdout, /is up and healthy/, 'and lab up waited for a healthy lab');

  for (const scenario of ['failover', 'watchdog']) {
    const run = await lab(['scenario', scenario], 600_000);
    took(`lab scenario ${scenario}`);
    t.equal(run.exitCode, 0, `lab scenario ${scenario} passes through the Vagrant provider\n${run.exitCode === 0 ? '' : `${lastLines(run.stdout, 60)}\n${run.stderr}`}`);
    t.match(run.stdout, new RegExp(`scenario ${scenario}: PASS`));
  }

  const down = await lab(['down'], 900_000);
  took('lab down');
  t.equal(down.exitCode, 0, `lab down succeeds: ${down.stderr}`);
  t.same(await leftovers(), [], 'lab down leaves no container, image or network of the lab');
});
