/** The order the provisioners run in on the node containers. */
import t from 'tap';
import { NODE_SCRIPTS, scriptBatches, scriptLabel, scriptsUntil } from '../../../lab/providers/docker/provision.js';
import { DK1 as spec } from './dk1.js';

t.test('provisioning order', async (t) => {
  t.same(
    NODE_SCRIPTS.map(scriptLabel),
    ['20-etcd', '30-watchdog', '35-pgbackrest', '40-patroni'],
    'packages are in the node image, not run per node',
  );
  const names = (batches: { name: string }[][]): string[][] => batches.map((b) => b.map((n) => n.name));
  t.same(names(scriptBatches('etcd', spec)), [['node1', 'node2', 'node3']], 'static etcd bootstrap: all members at once');
  t.same(
    names(scriptBatches('etcd', { ...spec, etcd: { ...spec.etcd, bootstrap: 'incremental' } })),
    [['node1'], ['node2'], ['node3']],
    'incremental: node by node',
  );
  t.same(
    names(scriptBatches('patroni', spec)),
    [['node1', 'node2', 'node3']],
    'Patroni everywhere at once: etcd decides who bootstraps',
  );
  t.same(names(scriptBatches('watchdog', spec)), [['node1', 'node2', 'node3']]);
});

t.test('provisioning stops after the stage a workshop seat starts at', async (t) => {
  t.same(scriptsUntil('packages'), [], 'packages: the image has them, nothing to run');
  t.same(
    scriptsUntil('etcd').map((s) => s.name),
    ['etcd'],
  );
  t.same(
    scriptsUntil('patroni').map((s) => s.name),
    ['etcd', 'watchdog', 'pgbackrest', 'patroni'],
  );
  t.same(scriptsUntil(), NODE_SCRIPTS, 'no stage: every script');
});
