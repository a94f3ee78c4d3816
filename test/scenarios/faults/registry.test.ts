import t from 'tap';
import { FakeClock } from '../../fake-clock.js';
import { execa } from 'execa';
import { Value } from '@sinclair/typebox/value';
import type { JournalEntry } from '../../../lab/labdir/fault-journal.js';
import type { LabAccess } from '../../../lab/cluster/access.js';
import { FAULTS, healPartitionScript, type FaultContext, type FaultRequest } from '../../../lab/scenarios/faults/registry.js';
import { healEntry } from '../../../lab/scenarios/faults/journaled.js';
import type { LabSpec } from '../../../lab/spec/schema.js';
import { fakeNodes, fakeProvider } from '../fake-node.js';

t.test('partition heal: removes the chain, then resets only etcd peer connections to the peers', async (t) => {
  const script = healPartitionScript(['10.0.0.12', '10.0.0.13']);
  t.match(script, /^iptables -D INPUT -j LAB-PARTITION/);
  t.ok(
    script.indexOf('iptables -X LAB-PARTITION') < script.indexOf('ss -HKtn'),
    'reset after the chain is gone, so the resets reach the peers',
  );
  t.match(script, "ss -HKtn '( dst 10.0.0.12 or dst 10.0.0.13 ) and ( sport = :2380 or dport = :2380 )' | wc -l");
  const check = await execa('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${script}\n`, reject: false });
  t.equal(check.exitCode, 0, `shellcheck: ${check.stdout}`);
});

const spec = { nodes: ['node1', 'node2', 'node3'].map((name, i) => ({ name, ip: `10.0.0.${11 + i}` })) } as unknown as LabSpec;
const run = { id: 'r1', scenario: 's', pid: 4242 };

function lab() {
  const nodes = fakeNodes(['node1', 'node2', 'node3']);
  const stale: string[] = [];
  const provider = fakeProvider(nodes);
  const ctx: FaultContext = {
    provider,
    spec,
    access: { markStale: (n: string) => stale.push(n) } as unknown as LabAccess,
    clock: new FakeClock(),
  };
  return { nodes, provider, ctx, stale };
}

/** The record as it comes back from faults.json: data only. */
const journaled = (fault: string, node: string, record: unknown): JournalEntry => ({
  id: 'e1',
  fault,
  node,
  record: JSON.parse(JSON.stringify(record)) as Record<string, unknown>,
  at: '',
  run,
});

const CASES: [string, FaultRequest][] = [
  ['crash-node', { node: 'node1' }],
  ['stop-service', { node: 'node1', service: 'etcd' }],
  ['stop-service', { node: 'node1', service: 'patroni' }],
  ['kill-service', { node: 'node1', service: 'etcd' }],
  ['kill-service', { node: 'node1', service: 'patroni' }],
  ['freeze', { node: 'node1' }],
  ['freeze', { node: 'node1', service: 'etcd' }],
  ['partition', { node: 'node1' }],
];

for (const [name, request] of CASES) {
  t.test(
    `${name}${request.service ? ` ${request.service}` : ''}: healed from its journaled record alone, idempotently`,
    async (t) => {
      const { ctx, provider } = lab();
      const undo = FAULTS[name]!.undo!;
      const record = await undo.record(ctx, request);
      t.ok(record !== undefined, 'something to journal');
      const entry = journaled(name, request.node, record);
      t.ok(Value.Check(undo.schema, entry.record), 'the record survives JSON and fits its schema');
      await FAULTS[name]!.inject(ctx, request, record);
      t.not(await undo.inForce({ provider }, request.node, entry.record), null, 'the node shows the fault');
      // A fresh context: the process that injected it is gone.
      const first = await healEntry({ provider }, entry);
      t.ok(first.ok, `healed: ${first.detail}`);
      t.equal(await undo.inForce({ provider }, request.node, entry.record), null, 'nothing of it left');
      const again = await healEntry({ provider }, entry);
      t.ok(again.ok, `healing it again succeeds: ${again.detail}`);
    },
  );
}

t.test('a fault journaled but never applied (killed before the inject) heals too', async (t) => {
  for (const [name, request] of CASES) {
    const { ctx, provider } = lab();
    const entry = journaled(name, request.node, await FAULTS[name]!.undo!.record(ctx, request));
    const outcome = await healEntry({ provider }, entry);
    t.ok(outcome.ok, `${name}: ${outcome.detail}`);
  }
});

t.test('freeze: a node reset meanwhile has nothing left to thaw', async (t) => {
  const { ctx, provider } = lab();
  const record = await FAULTS.freeze!.undo!.record(ctx, { node: 'node2' });
  await FAULTS.freeze!.inject(ctx, { node: 'node2' }, record);
  await provider.crash('node2');
  await provider.start('node2');
  const outcome = await healEntry({ provider }, journaled('freeze', 'node2', record));
  t.match(outcome, { ok: true, detail: 'node was reset: nothing to thaw' });
});

t.test('crash-node: the heal tells a running engine the node is back (its ports may have changed)', async (t) => {
  const { ctx, stale } = lab();
  await FAULTS['crash-node']!.inject(ctx, { node: 'node3' }, {});
  t.equal(await FAULTS['crash-node']!.undo!.heal(ctx, 'node3', {}), 'started');
  t.same(stale, ['node3']);
});

t.test('crash-node on the HAProxy node: in force while its machine is down, healed by starting it', async (t) => {
  const nodes = fakeNodes(['node1', 'node2', 'node3', 'haproxy']);
  const provider = fakeProvider(nodes, [], 'haproxy');
  const ctx: FaultContext = {
    provider,
    spec,
    access: { markStale: () => undefined } as unknown as LabAccess,
    clock: new FakeClock(),
  };
  const undo = FAULTS['crash-node']!.undo!;
  t.equal(await undo.inForce(ctx, 'haproxy', {}), null, 'running: nothing in force');
  await FAULTS['crash-node']!.inject(ctx, { node: 'haproxy' }, {});
  t.same(await provider.running(), ['node1', 'node2', 'node3'], 'the nodes are not touched');
  t.equal(await undo.inForce(ctx, 'haproxy', {}), 'haproxy is not running');
  t.equal(await undo.heal(ctx, 'haproxy', {}), 'started');
  t.equal(await undo.heal(ctx, 'haproxy', {}), 'already running');
});

t.test('nothing to journal: kill-service postgres, switchover, failover', async (t) => {
  const { ctx } = lab();
  t.equal(await FAULTS['kill-service']!.undo!.record(ctx, { node: 'node1', service: 'postgres' }), undefined);
  t.equal(FAULTS.switchover!.undo, undefined);
  t.equal(FAULTS.failover!.undo, undefined);
});

t.test('a journaled record is checked before it is trusted', async (t) => {
  const { provider } = lab();
  const injected = await healEntry({ provider }, journaled('partition', 'node1', { peers: ['10.0.0.12; reboot'] }));
  t.equal(injected.ok, false, 'a peer that is not an address never reaches a shell');
  t.match(injected.detail, /is not what the heal of partition needs/);
  t.match(await healEntry({ provider }, journaled('stop-service', 'node1', { unit: 'sshd' })), { ok: false });
  t.match(await healEntry({ provider }, journaled('no-such-fault', 'node1', {})), {
    ok: false,
    detail: /no fault named no-such-fault/,
  });
});

t.test('a heal that cannot run fails without throwing', async (t) => {
  const { ctx, provider } = lab();
  const record = await FAULTS.partition!.undo!.record(ctx, { node: 'node1' });
  await provider.crash('node1');
  t.match(await healEntry({ provider }, journaled('partition', 'node1', record)), { ok: false, detail: /node1 is not running/ });
});
