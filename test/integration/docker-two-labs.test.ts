/** Two labs with different names and subnets run side by side; each `down` removes only its own. */
import t from 'tap';
import { bringUp } from '../../lab/cluster/readiness.js';
import { createTestLab, leftovers, requireEngine } from './docker-harness.js';

t.test('two labs side by side', { timeout: 1_200_000 }, async (t) => {
  await requireEngine();
  const one = await createTestLab('docker-lab-dk1.yaml');
  t.teardown(one.destroy);
  const two = await createTestLab('docker-lab-dk2.yaml');
  t.teardown(two.destroy);
  t.not(one.labId, two.labId, 'the labs have different ids');

  await bringUp(one.provider, one.ctx, { healthyTimeoutMs: 240_000 });
  await bringUp(two.provider, two.ctx, { healthyTimeoutMs: 240_000 });
  for (const lab of [one, two]) {
    const health = await lab.health();
    t.ok(health.healthy, `${lab.ctx.spec.name} healthy: ${health.problems.join('; ')}`);
  }

  await two.provider.down();
  t.same(await leftovers(two.labId), [], `${two.ctx.spec.name}: nothing left`);
  t.same((await one.provider.running()).sort(), one.ctx.spec.nodes.map((n) => n.name), `${one.ctx.spec.name}: every node still running`);
  const health = await one.health();
  t.ok(health.healthy, `${one.ctx.spec.name} still healthy after the other lab's down: ${health.problems.join('; ')}`);

  await one.provider.down();
  t.same(await leftovers(one.labId), [], `${one.ctx.spec.name}: nothing left`);
});
