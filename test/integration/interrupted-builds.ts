/**
 * Ctrl-C during each image build the lab makes (base, node, entry, seat, Vagrant's): exit 130, the
 * interrupted message, and no builder container left. Each interruption point is an event of the
 * build itself (its progress line, or its container running), on an image no cache can hold: each
 * build starts from a base image given a fresh id here, so the point does not depend on what the
 * engine has cached, and the builds stop within seconds of starting. Run by docker-then-scenarios.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { waitUntil } from '../../lab/clock.js';
import { interruptible } from '../../lab/commands/up.js';
import { ExitCode, InterruptedError } from '../../lab/errors.js';
import { specContext } from '../../lab/labdir/context.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { LOCAL_BASE_IMAGE } from '../../lab/providers/docker/base-image-tag.js';
import { ensureEntryImage } from '../../lab/providers/docker/entry-image.js';
import { entryImageTagOf } from '../../lab/providers/docker/entry-image-tag.js';
import { labFilter, labIdFor } from '../../lab/providers/docker/naming.js';
import { ensureSeatImage, seatImageTag } from '../../lab/workshop/seat-image.js';
import { requireTools } from '../helpers.js';
import { docker, requireEngine, runLabIn } from './docker-harness.js';

const fresh = randomBytes(4).toString('hex');
/** The base image with a fresh id (one label more): every image made from it is built, never found. */
const FRESH_BASE = `pgha-lab/base:interrupted-${fresh}`;

const builders = async (labId: string): Promise<string[]> =>
  (await docker.listContainers({ all: true, filters: labFilter(labId, 'builder') })).map((c) => c.Id);
const present = (ref: string): Promise<boolean> =>
  docker
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      () => false,
    );

/** `lab ARGS` in work, SIGINT once its output matches `at` (or once `when` resolves), then its result. */
async function interrupted(work: string, args: string[], at: RegExp | (() => Promise<unknown>)) {
  const run = runLabIn(work, path.join(work, 'lab.yaml'), path.join(work, 'lab'), args, 600_000);
  let said = '';
  let sent = false;
  const send = (): void => {
    if (sent) return;
    sent = true;
    run.kill('SIGINT');
  };
  if (at instanceof RegExp) {
    run.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (at.test(said)) send();
    });
  } else {
    void at().then(send, () => undefined);
  }
  const result = await run;
  return { ...result, sent };
}

function expectInterrupted(t: Test, r: { exitCode?: number; stderr: string; sent: boolean }, what: string): void {
  t.ok(r.sent, `SIGINT was sent during the build`);
  t.equal(r.exitCode, ExitCode.interrupted, `${what} exits ${ExitCode.interrupted}: ${r.stderr}`);
  t.match(r.stderr, new RegExp(`${what} was interrupted; `), 'and says it was interrupted, and what to run next');
}

async function labDir(t: Test, yaml: object): Promise<{ work: string; labId: string }> {
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-ib-'));
  await writeFile(path.join(work, 'lab.yaml'), JSON.stringify(yaml));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  return { work, labId: labIdFor((yaml as { name: string }).name, path.join(work, 'lab')) };
}

t.test('Ctrl-C during every image build: exit 130, the interrupted message, no builder left', async (t) => {
  await requireEngine();
  const base = await docker.createContainer({ Image: LOCAL_BASE_IMAGE, Cmd: ['true'] });
  await base.commit({
    repo: FRESH_BASE.split(':')[0],
    tag: FRESH_BASE.split(':')[1],
    changes: [`LABEL pgha-lab.fresh="${fresh}"`],
  });
  await base.remove({ force: true });
  // It, and every image made from it (they carry its label): an interrupted build keeps the layers it finished.
  t.teardown(async () => {
    const made = await docker.listImages({ all: true, filters: { label: [`pgha-lab.fresh=${fresh}`] } });
    for (const image of made.sort((a, b) => b.Created - a.Created))
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => undefined);
  });

  await t.test(
    'the base image (lab image base): debootstrap stopped, its directory removed',
    requireTools('debootstrap'),
    async (t) => {
      const tag = `pgha-lab/base:never-${fresh}`;
      const targets = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('pgha-lab-base-')).sort();
      const before = await targets();
      const { work } = await labDir(t, { name: 'ibase' }); // not read: `lab image base` needs no lab
      // As debootstrap starts. The base image exists by now (requireEngine), so no other build makes such a directory.
      const r = await interrupted(work, ['image', 'base', '--tag', tag], /debootstrap \S+ from \S+ \.\.\./);
      expectInterrupted(t, r, 'lab image base');
      t.same(await targets(), before, 'its debootstrap directory is gone');
      t.notOk(await present(tag), 'no image was tagged');
    },
  );

  await t.test('the node image (lab up): its builder removed', async (t) => {
    const lab = {
      name: 'ibnode',
      provider: 'docker',
      network: { subnet: '10.86.0.0/24' },
      docker: { baseImage: FRESH_BASE },
      postgres: { version: 17, packageSource: 'distro' },
    };
    const { work, labId } = await labDir(t, lab);
    t.teardown(() => runLabIn(work, path.join(work, 'lab.yaml'), path.join(work, 'lab'), ['down']));
    const r = await interrupted(work, ['up'], /node image: boot systemd \.\.\./);
    expectInterrupted(t, r, 'lab up');
    t.same(await builders(labId), [], 'the builder is removed on the way out');
  });

  await t.test('the entry image (lab up with entry:): its builder removed', async (t) => {
    const lab = {
      name: 'ibentry',
      provider: 'docker',
      network: { subnet: '10.84.0.0/24' },
      docker: { baseImage: FRESH_BASE },
      postgres: { version: 17, packageSource: 'distro' },
      entry: { pgbouncer: { enabled: true } },
    };
    const { work, labId } = await labDir(t, lab);
    t.teardown(() => runLabIn(work, path.join(work, 'lab.yaml'), path.join(work, 'lab'), ['down']));
    const ctx = await specContext({ file: path.join(work, 'lab.yaml'), dir: path.join(work, 'lab') });
    await generateLab(ctx);
    const terminal = new EventEmitter();
    // The fresh base stands in for the node image (it boots systemd, and no entry image was made
    // from it), so the entry image is built without minutes of the node image's packages first.
    const build = interruptible(
      'lab up',
      'run `lab down` to remove what was created, or `lab up` to finish it',
      (signal) =>
        ensureEntryImage({ docker, spec: ctx.spec, dir: ctx.dir, labId }, FRESH_BASE, {
          signal,
          // A second after its step starts: apt-get installs HAProxy and PgBouncer in the builder.
          onProgress: (e) =>
            void (
              e.status === 'start' &&
              e.task === 'entry image: 50-entry packages' &&
              setTimeout(() => terminal.emit('SIGINT'), 1000)
            ),
        }),
      terminal as unknown as NodeJS.Process,
    );
    const e = await build.then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(e instanceof InterruptedError && e.exitCode === ExitCode.interrupted, `exit ${ExitCode.interrupted}: ${String(e)}`);
    t.match(String((e as Error).message), /lab up was interrupted; run `lab down`/);
    t.same(await builders(labId), [], 'the builder is removed on the way out');
    const freshId = (await docker.getImage(FRESH_BASE).inspect()).Id;
    t.notOk(await present(await entryImageTagOf(freshId, ctx.dir, ctx.spec)), 'no entry image was committed');
  });

  await t.test('the seat image (lab workshop up): its builder removed', async (t) => {
    const labId = `ibws-s01-${fresh.slice(0, 6)}`;
    const terminal = new EventEmitter();
    const build = interruptible(
      'lab workshop up',
      'run `lab workshop down` to remove what was created',
      (signal) =>
        ensureSeatImage(docker, FRESH_BASE, labId, {
          signal,
          // A second after the build starts: its ssh install runs in the builder.
          onProgress: (e) =>
            void (
              e.status === 'start' &&
              e.task.startsWith('seat image: install ssh') &&
              setTimeout(() => terminal.emit('SIGINT'), 1000)
            ),
        }),
      terminal as unknown as NodeJS.Process,
    );
    const e = await build.then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(e instanceof InterruptedError && e.exitCode === ExitCode.interrupted, `exit ${ExitCode.interrupted}: ${String(e)}`);
    t.match(String((e as Error).message), /lab workshop up was interrupted; run `lab workshop down`/);
    t.same(await builders(labId), [], 'the builder is removed on the way out');
    t.notOk(await present(seatImageTag((await docker.getImage(FRESH_BASE).inspect()).Id)), 'no seat image was committed');
  });

  await t.test(
    "Vagrant's image (docker/Dockerfile, built by vagrant up): the build stopped and removed",
    requireTools('vagrant'),
    async (t) => {
      const lab = {
        name: 'ibvg',
        provider: 'vagrant',
        vm: { provider: 'docker' },
        network: { subnet: '10.85.0.0/24' },
        docker: { baseImage: FRESH_BASE },
        postgres: { version: 17, packageSource: 'distro' },
      };
      const { work, labId } = await labDir(t, lab);
      t.teardown(() => runLabIn(work, path.join(work, 'lab.yaml'), path.join(work, 'lab'), ['down'], 600_000));
      // The build's own container (its apt RUN) from this fresh base, running: the build is under way.
      const buildContainers = async () =>
        docker.listContainers({ all: true, filters: { ancestor: [FRESH_BASE], label: ['pgha-lab.lab=vagrant-image'] } });
      const r = await interrupted(work, ['up'], () =>
        waitUntil(
          async () =>
            (await buildContainers()).some((c) => c.State === 'running')
              ? { ok: true, value: undefined }
              : { ok: false, reason: 'no build container yet' },
          { what: "Vagrant's image build", timeoutMs: 300_000, intervalMs: 500 },
        ),
      );
      expectInterrupted(t, r, 'lab up');
      const gone = await waitUntil(
        async () =>
          (await buildContainers()).length === 0
            ? { ok: true, value: true }
            : { ok: false, reason: 'its container is still there' },
        { what: 'the build container removed', timeoutMs: 60_000, intervalMs: 1000 },
      ).catch(() => false);
      t.ok(gone, 'the interrupted build stopped and removed its container (Ctrl-C passed on, --force-rm)');
      t.same((await docker.listImages({ filters: labFilter(labId) })).length, 0, 'and no image of the lab was built');
    },
  );
});
