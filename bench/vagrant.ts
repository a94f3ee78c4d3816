/**
 * `vagrant up` of the generated Vagrantfile to a healthy lab, with Vagrant's docker provider, as a DBA
 * runs it: one machine after the other (`--no-parallel`, VirtualBox's order) and all at once
 * (libvirt's and docker's). Each machine installs its packages itself (10-packages over ssh), from the
 * locally built Debian base, so these are the figures of the whole path. Throwaway lab `vgbench`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LabAccess } from '../lab/cluster/access.js';
import { labHealthy, waitFor } from '../lab/cluster/readiness.js';
import { specContext } from '../lab/labdir/context.js';
import { generateLab } from '../lab/labdir/generate.js';
import { vagrant } from '../lab/providers/vagrant/cli.js';
import { VagrantProvider } from '../lab/providers/vagrant/provider.js';
import { packageRoot } from '../lab/render/package-files.js';

export interface VagrantUpFigures {
  sequentialS: number;
  parallelS: number;
}

const UP_TIMEOUT_MS = 40 * 60_000;

const fixture = (): string => path.join(packageRoot(), 'test/fixtures/vagrant-lab-vg.yaml');

export async function benchVagrantUp(): Promise<VagrantUpFigures> {
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-vgbench-'));
  const file = path.join(work, 'lab.yaml');
  await writeFile(file, (await readFile(fixture(), 'utf8')).replace(/^name: .*$/m, 'name: vgbench'));
  const ctx = await specContext({ file, dir: path.join(work, 'lab') });
  await generateLab(ctx);
  const provider = new VagrantProvider(ctx.spec, ctx.dir);
  const toHealthy = async (args: string[]): Promise<number> => {
    const started = performance.now();
    await vagrant(ctx.dir, args, { timeoutMs: UP_TIMEOUT_MS });
    const access = await LabAccess.forLab(provider, ctx.dir);
    try {
      await waitFor(labHealthy(access, ctx.spec, 300_000));
    } finally {
      await access.close();
      await provider.close();
    }
    return Math.round((performance.now() - started) / 100) / 10;
  };
  try {
    const sequentialS = await toHealthy(['up', '--no-parallel']);
    await provider.down();
    const parallelS = await toHealthy(['up']);
    return { sequentialS, parallelS };
  } finally {
    await provider.down().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
