/** An `up` interrupted part-way stops promptly, and `down` then leaves nothing with the lab's label. */
import t from 'tap';
import { createTestLab, leftovers, requireEngine } from './docker-harness.js';

t.test('interrupted up, then down', { timeout: 900_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab('docker-lab-dk1.yaml');
  t.teardown(lab.destroy);

  const controller = new AbortController();
  let abortedAt = 0;
  const up = lab.provider.up({
    signal: controller.signal,
    healthyTimeoutMs: 240_000,
    onStep: (e) => {
      // Part-way: containers exist and etcd is being configured.
      if (e.step === '20-etcd' && e.status === 'start' && !abortedAt) {
        abortedAt = Date.now();
        controller.abort(new Error('test interrupt'));
      }
    },
  });
  await t.rejects(up, 'the interrupted up rejects');
  t.ok(abortedAt > 0, 'the up was interrupted after its containers were created');
  t.ok(Date.now() - abortedAt < 15_000, `it stopped promptly (${Date.now() - abortedAt} ms)`);
  t.not((await leftovers(lab.labId)).length, 0, 'the partial lab exists, labelled');

  await lab.provider.down();
  t.same(await leftovers(lab.labId), [], 'down leaves nothing with the lab label');
});
