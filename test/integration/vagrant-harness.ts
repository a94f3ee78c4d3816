/**
 * A lab of the generated Vagrantfile run by Vagrant itself with its docker provider, for
 * as-documented-vagrant.ts: the lab directory, `vagrant` as a user runs it, what of the lab is
 * left on the engine, and its removal at the end whatever the test did.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Test } from 'tap';
import { specContext, type LabContext } from '../../lab/labdir/context.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { ensureNodeImage } from '../../lab/providers/docker/node-image.js';
import { labFilter } from '../../lab/providers/docker/naming.js';
import { DockerMachines, vagrantNetworkName } from '../../lab/providers/vagrant/docker-machines.js';
import { ROOT } from '../helpers.js';
import { docker, removeLeftoverLabs, requireEngine, runLabIn } from './docker-harness.js';

/** `vagrant ARGS` in the lab directory, as a user runs it (no update check: no traffic off this host). */
export function vagrant(dir: string, args: string[], timeoutMs: number) {
  return execa('vagrant', args, {
    cwd: dir,
    reject: false,
    timeout: timeoutMs,
    all: true,
    env: { VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' },
  });
}

export const lastLines = (text: string | undefined, n = 40): string => (text ?? '').trimEnd().split('\n').slice(-n).join('\n');

export interface VagrantLab {
  ctx: LabContext;
  /** lab.yaml and the lab directory, for what runs in the test's process. */
  location: { file: string; dir: string };
  /** `lab ARGS` on this lab, through the built CLI. */
  lab(args: string[], timeoutMs?: number): ReturnType<typeof runLabIn>;
  /** What of the lab is on the engine: containers, images and its Vagrant network. */
  leftovers(): Promise<string[]>;
  /** Logs how long the step since the last call took. */
  took(what: string): void;
}

/**
 * The lab of test/fixtures/FIXTURE generated in a temp dir, its machines' base the Docker provider's
 * node image for its packages: CI does not install them once per machine and order (10-packages still
 * runs, and finds them installed). That image is the Docker provider's cache, shared with every lab of
 * these packages, and stays, as after `lab down`; the lab itself is removed at teardown.
 */
export async function vagrantLab(t: Test, fixture: string): Promise<VagrantLab> {
  await requireEngine();
  const source = path.join(ROOT, 'test/fixtures', fixture);
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-vg-'));
  const file = path.join(work, 'lab.yaml');
  const dir = path.join(work, 'lab');
  await copyFile(source, file);
  let phase = Date.now();
  const took = (what: string): void => {
    t.comment(`${what}: ${((Date.now() - phase) / 1000).toFixed(1)} s`);
    phase = Date.now();
  };

  const first = await specContext({ file, dir });
  await generateLab(first);
  const packaged = await ensureNodeImage({ docker, spec: first.spec, dir, labId: `${first.spec.name}-packages` }, {});
  took('node image with the packages');
  await writeFile(
    file,
    (await readFile(source, 'utf8')).replace('baseImage: pgha-lab/base:trixie', `baseImage: ${packaged.tag}`),
  );
  const ctx = await specContext({ file, dir });
  await generateLab(ctx);

  await removeLeftoverLabs(ctx.spec.name);
  const machines = new DockerMachines(ctx.spec, dir, docker);
  const labId = await machines.labId();
  const network = vagrantNetworkName(ctx.spec.network.subnet);
  t.teardown(async () => {
    await vagrant(dir, ['destroy', '--force'], 600_000);
    await machines.removeLeftovers().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });
  return {
    ctx,
    location: { file, dir },
    lab: (args, timeoutMs) => runLabIn(work, file, dir, args, timeoutMs),
    leftovers: async () => {
      const containers = await docker.listContainers({ all: true, filters: labFilter(labId) });
      const images = await docker.listImages({ filters: labFilter(labId) });
      const networks = (await docker.listNetworks()).filter((n) => n.Name === network);
      return [
        ...containers.map((c) => `container ${c.Names.join(',')}`),
        ...images.map((i) => `image ${i.Id}`),
        ...networks.map((n) => `network ${n.Name}`),
      ];
    },
    took,
  };
}
