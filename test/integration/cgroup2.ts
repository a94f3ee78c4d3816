/**
 * The lab on a Docker engine that sees cgroup v2, as most users' hosts do (this host runs v1):
 * scripts/engine-cgroup2.sh starts one, and `lab` reaches it through DOCKER_HOST, as a user would.
 * `lab doctor` names the cgroup version; `lab up` with the same container flags; the nodes' systemd
 * on the unified hierarchy; the watchdog scenario (the emulator's reset, a restart under cgroup v2)
 * and a pause-node fault (`docker pause`: cgroup.freeze); `lab down` leaves nothing; the engine is
 * stopped by its own pids. The engine has no NAT: the base and node images are copied from engine
 * one, where the workshop before this case built the node image. Run by workshop-then-vagrant.test.ts.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { specContext } from '../../lab/labdir/context.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { dockerClient, engineOptions } from '../../lab/providers/docker/client.js';
import { ensureNodeImage } from '../../lab/providers/docker/node-image.js';
import { DockerProvider } from '../../lab/providers/docker/provider.js';
import { copyImage } from '../../lab/workshop/engines.js';
import { requireTools, ROOT, runLab } from '../helpers.js';
import { docker, leftovers, removeLeftoverLabs, requireEngine } from './docker-harness.js';

const ENGINE = path.join(ROOT, 'scripts/engine-cgroup2.sh');
const SCENARIOS = ['watchdog', path.join(ROOT, 'test/fixtures/pause-node.yaml')];

interface ScenarioReport {
  verdict: string;
  checks: { name: string; status: string; summary: string }[];
}

t.test(
  'a lab on a cgroup v2 engine: lab doctor, lab up, the watchdog and a pause-node fault, lab down',
  requireTools('dockerd', 'containerd', 'unshare', 'mount', 'ip', 'iptables'),
  async (t) => {
    await requireEngine();
    let phase = Date.now();
    const took = (what: string): void => {
      t.comment(`${what}: ${((Date.now() - phase) / 1000).toFixed(1)} s`);
      phase = Date.now();
    };
    const host = (await execa('bash', [ENGINE, 'start'], { timeout: 90_000 })).stdout.trim();
    const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-cg2-'));
    const file = path.join(work, 'lab.yaml');
    // The lab's options first: what follows `lab exec NODE --` is the node's command line.
    const lab = (args: string[], timeoutMs = 300_000) =>
      runLab(['--file', file, '--dir', path.join(work, 'lab'), ...args], { cwd: work, timeoutMs, env: { DOCKER_HOST: host } });
    t.teardown(async () => {
      await lab(['down']);
      await execa('bash', [ENGINE, 'stop'], { timeout: 120_000, reject: false });
      await rm(work, { recursive: true, force: true });
    });
    took('engine start');
    const cg2 = dockerClient(engineOptions(host));
    t.equal((await cg2.info()).CgroupVersion, '2', 'the engine sees cgroup v2');

    await copyFile(path.join(ROOT, 'test/fixtures/cgroup2-lab.yaml'), file);
    const ctx = await specContext({ file, dir: path.join(work, 'lab') });
    await generateLab(ctx);
    await removeLeftoverLabs(ctx.spec.name, cg2);
    const node = await ensureNodeImage({ docker, spec: ctx.spec, dir: ctx.dir, labId: `${ctx.spec.name}-packages` }, {});
    took(`node image on engine one (${node.built ? 'built' : 'cached'})`);
    await copyImage(docker, cg2, ctx.spec.docker.baseImage);
    await copyImage(docker, cg2, node.tag);
    took('base and node images loaded into the engine');

    const doctor = await lab(['doctor'], 180_000);
    t.match(doctor.stdout, /^docker +ok +cgroup v2 /m, `lab doctor reports the engine's cgroup version\n${doctor.stdout}`);
    took('lab doctor');

    const up = await lab(['up'], 600_000);
    took('lab up');
    t.equal(up.exitCode, 0, `lab up on the cgroup v2 engine: ${up.stdout.slice(-2000)}${up.stderr}`);
    if (up.exitCode !== 0) return;
    t.match(up.stdout, /node image \S+ \(cached\)/, 'with the node image copied there: nothing to build');
    const fs = await lab(['exec', 'node1', '--', 'stat', '-fc', '%T', '/sys/fs/cgroup'], 60_000);
    t.equal(fs.stdout.trim(), 'cgroup2fs', `the nodes' systemd sees the unified hierarchy ${fs.stderr}`);

    for (const scenario of SCENARIOS) {
      const report = path.join(work, `${path.basename(scenario, '.yaml')}.json`);
      const run = await lab(['scenario', scenario, '--json', report], 600_000);
      took(`scenario ${path.basename(scenario, '.yaml')}`);
      t.equal(
        run.exitCode,
        0,
        `lab scenario ${scenario}: ${run.exitCode === 0 ? 'passed' : run.stdout.slice(-3000) + run.stderr}`,
      );
      const result = JSON.parse(await readFile(report, 'utf8')) as ScenarioReport;
      for (const c of result.checks) t.equal(c.status, 'pass', `${scenario}: ${c.name}: ${c.summary}`);
      t.equal(result.verdict, 'pass', `${scenario}: verdict`);
    }

    const labId = await new DockerProvider(ctx, cg2).labId();
    const down = await lab(['down']);
    took('lab down');
    t.equal(down.exitCode, 0, `lab down: ${down.stderr}`);
    t.same(await leftovers(labId, cg2), [], 'nothing of the lab left on the engine');
  },
);
