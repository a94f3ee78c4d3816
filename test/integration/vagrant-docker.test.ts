/**
 * The generated Vagrantfile, run by Vagrant itself with its docker provider, as the README tells a
 * DBA to run it: `vagrant up --no-parallel` (VirtualBox's order: each node fully provisioned before
 * the next exists) and a parallel `vagrant up` (libvirt's and docker's order, here through `lab up`),
 * then `lab status` and the failover and watchdog scenarios through the Vagrant provider, and
 * `lab down`/`vagrant destroy` leaving no container, network or image of the lab.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { specContext } from '../../lab/labdir/context.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { ensureNodeImage } from '../../lab/providers/docker/node-image.js';
import { labFilter } from '../../lab/providers/docker/naming.js';
import { DockerMachines, vagrantNetworkName } from '../../lab/providers/vagrant/docker-machines.js';
import { ROOT } from '../helpers.js';
import { docker, requireEngine, runLabIn } from './docker-harness.js';

const FIXTURE = path.join(ROOT, 'test/fixtures/vagrant-lab-vg.yaml');

/** `vagrant ARGS` in the lab directory, as a user runs it (no update check: no traffic off this host). */
function vagrant(dir: string, args: string[], timeoutMs: number) {
  return execa('vagrant', args, { cwd: dir, reject: false, timeout: timeoutMs, all: true, env: { VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' } });
}

const lastLines = (text: string | undefined, n = 40): string => (text ?? '').trimEnd().split('\n').slice(-n).join('\n');

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

  const status = await lab(['status', '--json']);
  took('lab status');
  t.equal(status.exitCode, 0, `lab status through the Vagrant provider exits 0 on the lab vagrant up made: ${status.stderr}`);
  t.equal((JSON.parse(status.stdout || '{}') as { healthy?: boolean }).healthy, true, 'lab status --json says healthy');

  const destroyed = await vagrant(dir, ['destroy', '--force'], 600_000);
  took('vagrant destroy');
  t.equal(destroyed.exitCode, 0, `vagrant destroy succeeds\n${destroyed.exitCode === 0 ? '' : lastLines(destroyed.all)}`);
  t.same(await leftovers(), [], 'vagrant destroy leaves no container, image or network of the lab');

  // libvirt's and docker's order: every machine at once, through `lab up` and its progress.
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
