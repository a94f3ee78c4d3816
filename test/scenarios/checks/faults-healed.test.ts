import t from 'tap';
import { faultsHealed } from '../../../lab/scenarios/checks/faults-healed.js';
import { HistoryBuilder } from '../build-history.js';

t.test('every journaled fault healed: pass; one that left nothing to undo needs no heal', async (t) => {
  const r = faultsHealed.run(
    new HistoryBuilder()
      .fault(1000, 'partition', 'node1')
      .heal(5000, 'partition', 'node1')
      .fault(6000, 'kill-service', 'node2')
      .build(),
    {},
  );
  t.equal(r.status, 'pass');
  t.same(r.figures, { healed: 0, unhealed: 0, failedHeals: 0 }, 'HistoryBuilder faults are not journaled');
});

t.test('a journaled fault never healed, or a failed heal: fail, with each named', async (t) => {
  const h = new HistoryBuilder().build();
  h.events.push(
    { kind: 'fault', t: 1000, fault: 'partition', node: 'node1', journaled: true },
    { kind: 'heal', t: 2000, fault: 'partition', node: 'node1', ok: true },
    { kind: 'fault', t: 3000, fault: 'freeze', node: 'node2', journaled: true },
    { kind: 'fault', t: 4000, fault: 'stop-service', node: 'node3', journaled: true },
    { kind: 'heal', t: 5000, fault: 'stop-service', node: 'node3', ok: false, detail: 'exit 1' },
  );
  const r = faultsHealed.run(h, {});
  t.equal(r.status, 'fail');
  t.same(r.figures, { healed: 1, unhealed: 2, failedHeals: 1 });
  t.same(r.evidence, [
    'heal of stop-service on node3 at 5.0 s failed: exit 1',
    'freeze on node2, injected at 3.0 s, never healed',
    'stop-service on node3, injected at 4.0 s, never healed',
  ]);
});
