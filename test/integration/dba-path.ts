/**
 * The README's "Quick start: a DBA following Percona's page", played from the README's own words:
 * its block is read from README.md, and each line runs in its order as a user types it, in a fresh
 * directory, `lab` with no --file or --dir. Each `lab` line must show what its claim
 * (test/docs/example-claims.ts) says; a line this test does not know fails it.
 *
 * CI's hosts cannot run VirtualBox, so the DBA makes the change the docs give for that: `lab doctor`
 * names VirtualBox missing and, among its fixes, `vm.provider: docker`, Vagrant's docker provider,
 * which runs the same Vagrantfile (docs/vagrant-provider.md). That is the one change a DBA makes. The
 * test makes two more that are the CI host's, not the DBA's, each said where it is made: no registry
 * or Percona repository is reachable, so the base image and packages are doctor's offline recipe
 * (Debian 13's PostgreSQL 17, on the base image with those packages already installed, as
 * vagrant-harness.ts does, so the machines do not each install them again); and the lab gets a
 * subnet of its own, since other labs run on the engine at the same time.
 * The `npm ci && npm run build && npm link` line is CI's own build: `lab` is the built CLI.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { parseDocument } from 'yaml';
import { waitUntil } from '../../lab/clock.js';
import { specContext } from '../../lab/labdir/context.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { ensureNodeImage } from '../../lab/providers/docker/node-image.js';
import { LOCAL_BASE_IMAGE } from '../../lab/providers/docker/base-image-tag.js';
import { labFilter } from '../../lab/providers/docker/naming.js';
import { DockerMachines } from '../../lab/providers/vagrant/docker-machines.js';
import { CLAIMS } from '../docs/example-claims.js';
import { argvOf, shellBlockUnder } from '../docs/examples.js';
import { ROOT, runLab } from '../helpers.js';
import { docker, requireEngine } from './docker-harness.js';
import { lastLines, vagrant } from './vagrant-harness.js';

const HEADING = "Quick start: a DBA following Percona's page";
/** Not a lab address of any other test's (fixtures use 10.87, 10.88, 10.90, 10.91, 10.93 and 192.168.1). */
const SUBNET = '10.92.0.0/24';

/** Sets lab.yaml's keys, its comments kept (`lab init`'s file, edited as a user edits it). */
async function editLabYaml(file: string, keys: Record<string, string | number>): Promise<void> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  for (const [key, value] of Object.entries(keys)) doc.setIn(key.split('.'), value);
  await writeFile(file, doc.toString());
}

async function dbaPath(t: Test): Promise<void> {
  await requireEngine();
  const lines = shellBlockUnder(await readFile(path.join(ROOT, 'README.md'), 'utf8'), HEADING);
  t.same(
    lines.filter((l) => l.startsWith('lab ')),
    ['lab init', 'lab doctor', 'lab generate', 'lab status', 'lab scenario failover'],
    "the README's DBA block is the path this test plays (a new step needs its place here)",
  );
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-dba-'));
  const file = path.join(work, 'lab.yaml');
  const lab = (args: string[], timeoutMs = 300_000) => runLab(args, { cwd: work, timeoutMs });
  let labDir = '';
  t.teardown(async () => {
    if (labDir) {
      await vagrant(labDir, ['destroy', '--force'], 600_000);
      const ctx = await specContext({ file, dir: labDir }).catch(() => undefined);
      if (ctx) await new DockerMachines(ctx.spec, labDir, docker).removeLeftovers().catch(() => undefined);
    }
    await rm(work, { recursive: true, force: true });
  });
  let phase = Date.now();
  const took = (what: string): void => {
    t.comment(`${what}: ${((Date.now() - phase) / 1000).toFixed(1)} s`);
    phase = Date.now();
  };

  for (const line of lines) {
    if (line === 'npm ci && npm run build && npm link') continue;
    const vagrantUp = /^\(cd (\S+) && vagrant up\)$/.exec(line);
    if (vagrantUp) {
      labDir = path.join(work, vagrantUp[1]!);
      // The README's words: a bare `vagrant up` (Vagrant's docker provider brings the machines up in parallel).
      const up = await vagrant(labDir, ['up'], 1_200_000);
      took(line);
      t.equal(up.exitCode, 0, `${line} succeeds${up.exitCode === 0 ? '' : `\n${lastLines(up.all)}`}`);
      t.match(up.all, /the cluster: 3 members, one leader, every replica running: ok/, 'and ends with the cluster running');
      if (up.exitCode !== 0) return;
      continue;
    }
    const claim = CLAIMS[line];
    if (!line.startsWith('lab ') || !claim || claim.on !== 'dba-path') {
      t.fail(`the README's DBA block has a line this test does not play: ${line}`);
      return;
    }
    const argv = claim.run ?? argvOf(line);
    // Right after `vagrant up`, on a loaded host, a first probe through a fresh ssh forward can miss
    // its bound (as-documented-vagrant.ts waits before its status for that reason): as a DBA would,
    // `lab status` is run again, a bounded few times, until it says healthy; the last run is judged.
    const run =
      line === 'lab status'
        ? await waitUntil(
            async () => {
              const r = await lab(argv);
              return r.exitCode === 0 ? { ok: true as const, value: r } : { ok: false as const, reason: lastLines(r.stdout, 12) };
            },
            { what: 'lab status exits 0', timeoutMs: 90_000, intervalMs: 10_000 },
          ).catch(() => lab(argv))
        : await lab(argv, 600_000);
    took(line);
    const output = `${run.stdout}\n${run.stderr}`;
    const exitCode = claim.exitCode ?? 0;
    t.equal(run.exitCode, exitCode, `${line} exits ${exitCode}${run.exitCode === exitCode ? '' : `:\n${lastLines(output)}`}`);
    t.match(output, claim.shows, `${line} shows ${claim.shows}`);
    if (claim.hides) t.notMatch(output, claim.hides, `${line} does not show ${claim.hides}`);

    if (line === 'lab doctor') {
      // The DBA's change, from doctor's fix for the missing VirtualBox.
      await editLabYaml(file, { 'vm.provider': 'docker' });
      // The CI host's: no registry or Percona repository (doctor's offline recipe), and other labs on the engine.
      await editLabYaml(file, {
        'docker.baseImage': LOCAL_BASE_IMAGE,
        'postgres.version': 17,
        'postgres.packageSource': 'distro',
        'network.subnet': SUBNET,
      });
      const packages = await specContext({ file, dir: path.join(work, 'packages') });
      await generateLab(packages);
      const image = await ensureNodeImage(
        { docker, spec: packages.spec, dir: packages.dir, labId: `${packages.spec.name}-packages` },
        {},
      );
      await editLabYaml(file, { 'docker.baseImage': image.tag });
      took('lab.yaml: vm.provider docker; the offline recipe, on the node image with its packages');
      const again = await lab(['doctor']);
      t.equal(
        again.exitCode,
        0,
        `lab doctor passes once vm.provider is docker${again.exitCode === 0 ? '' : `:\n${again.stdout}`}`,
      );
      t.match(again.stdout, /Docker engine .*Vagrant's docker provider/, "and checks what Vagrant's docker provider needs");
    }
  }

  // The README's cleanup (the CI quick start's last line): the lab goes, and nothing of it stays.
  const down = await lab(['down'], 600_000);
  took('lab down');
  const claim = CLAIMS['lab down'];
  t.equal(down.exitCode, 0, `lab down: ${down.stderr}`);
  if (claim?.on === 'dba-path') t.match(down.stdout, claim.shows, `lab down shows ${claim.shows}`);
  const ctx = await specContext({ file, dir: labDir });
  const labId = await new DockerMachines(ctx.spec, labDir, docker).labId();
  const left = await docker.listContainers({ all: true, filters: labFilter(labId) });
  t.same(
    left.map((c) => c.Names.join(',')),
    [],
    'no container of the lab is left',
  );
}

t.test("the README's DBA quick start, line by line, on Vagrant's docker provider", { timeout: 1_500_000 }, dbaPath);
