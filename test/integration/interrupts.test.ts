/**
 * An `up` interrupted part-way stops promptly, and `down` then leaves nothing with the lab's label:
 * through the API (an AbortSignal, mid-step) and through the CLI (SIGINT, as Ctrl-C sends it).
 */
import t from 'tap';
import { bringUp } from '../../lab/cluster/readiness.js';
import { ExitCode } from '../../lab/errors.js';
import { createTestLab, leftovers, requireEngine, runLab } from './docker-harness.js';

t.test('up aborted mid-step, then down', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab('docker-lab-dk3.yaml');
  t.teardown(lab.destroy);

  const controller = new AbortController();
  let abortedAt = 0;
  const up = bringUp(lab.provider, lab.ctx, {
    signal: controller.signal,
    healthyTimeoutMs: 240_000,
    onStep: (e) => {
      // Part-way: the containers exist and etcd is being configured in them.
      if (e.step === '20-etcd' && e.status === 'start' && !abortedAt) {
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

t.test('lab up stopped by SIGINT, then lab down', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab('docker-lab-dk3.yaml');
  t.teardown(lab.destroy);

  const up = runLab(lab, ['up']);
  let interruptedAt = 0;
  up.stdout?.on('data', (chunk: Buffer) => {
    if (!interruptedAt && /20-etcd \.\.\./.test(chunk.toString())) {
      interruptedAt = Date.now();
      up.kill('SIGINT');
    }
  });
  const result = await up;
  t.ok(interruptedAt > 0, 'SIGINT was sent while etcd was being provisioned');
  t.equal(result.exitCode, ExitCode.interrupted, `lab up exits ${ExitCode.interrupted}: ${result.stderr}`);
  t.match(result.stderr, /lab down/, 'and says how to clean up');
  t.ok(Date.now() - interruptedAt < 10_000, `it stopped promptly (${Date.now() - interruptedAt} ms)`);
  t.not((await leftovers(lab.labId)).length, 0, 'the partial lab exists, labelled');

  const down = await runLab(lab, ['down']);
  t.equal(down.exitCode, 0, `lab down succeeds: ${down.stderr}`);
  t.same(await leftovers(lab.labId), [], 'lab down leaves nothing with the lab label');
});
