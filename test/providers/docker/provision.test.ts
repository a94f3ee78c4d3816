/** The order the provisioners run in on the node containers. */
import t from 'tap';
import { NODE_STEPS, stepBatches, stepLabel, stepsUntil } from '../../../lab/providers/docker/provision.js';
import { DK1 as spec } from './dk1.js';

t.test('provisioning order', async (t) => {
  t.same(NODE_STEPS.map(stepLabel), ['20-etcd', '30-watchdog', '40-patroni'], 'packages are in the node image, not run per node');
  const names = (batches: { name: string }[][]): string[][] => batches.map((b) => b.map((n) => n.name));
  t.same(names(stepBatches('etcd', spec)), [['node1', 'node2', 'node3']], 'static etcd bootstrap: all members at once');
  t.same(names(stepBatches('etcd', { ...spec, etcd: { ...spec.etcd, bootstrap: 'incremental' } })), [['node1'], ['node2'], ['node3']], 'incremental: node by node');
  t.same(names(stepBatches('patroni', spec)), [['node1', 'node2', 'node3']], 'Patroni everywhere at once: etcd decides who bootstraps');
  t.same(names(stepBatches('watchdog', spec)), [['node1', 'node2', 'node3']]);
});

t.test('provisioning stops after the stage a workshop seat starts at', async (t) => {
  t.same(stepsUntil('packages'), [], 'packages: the image has them, nothing to run');
  t.same(stepsUntil('etcd').map((s) => s.name), ['etcd']);
  t.same(stepsUntil('patroni').map((s) => s.name), ['etcd', 'watchdog', 'patroni']);
  t.same(stepsUntil(), NODE_STEPS, 'no stage: every step');
});
