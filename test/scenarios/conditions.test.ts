/** Wait conditions judged on fresh samples: what a `wait:` step sees while the run goes on. */
import t from 'tap';
import { evaluateCondition, type ConditionContext } from '../../lab/scenarios/conditions.js';
import type { History } from '../../lab/scenarios/history/history.js';
import { failoverHistory, HistoryBuilder } from './build-history.js';

function at(history: History, since: number, until: number, extra: Partial<ConditionContext> = {}): ConditionContext {
  return {
    events: history.events.filter((e) => e.t < until),
    nodes: history.meta.nodes,
    since,
    roster: { leader: 'node1', replicas: ['node2', 'node3'] },
    provider: { bootMarker: async (node) => ({ node, marker: 'boot-2' }) },
    bootMarkers: new Map([['node1', 'boot-1']]),
    synchronousMode: false,
    ...extra,
  };
}

const h = failoverHistory().build();

t.test('healthy before the fault, not after it, healthy again once node1 streams', async (t) => {
  t.match(await evaluateCondition('healthy', at(h, 0, 5_000)), { ok: true, detail: /node1 leads on timeline 1/ });
  t.match(await evaluateCondition('healthy', at(h, 11_000, 20_000)), { ok: false, reason: /no node accepts writes/ });
  t.match(await evaluateCondition('healthy', at(h, 46_000, 50_000)), { ok: true, detail: /node2 leads on timeline 2/ });
});

t.test('synchronous_mode: healthy only once the leader names a synchronous standby', async (t) => {
  const shapes = { node1: 'primary', node2: 'replica', node3: 'replica' } as const;
  const unnamed = new HistoryBuilder().roles(0, 2_000, shapes, { syncStandbys: [] }).build();
  const named = new HistoryBuilder().roles(0, 2_000, shapes, { syncStandbys: ['node2'] }).build();
  t.match(await evaluateCondition('healthy', at(unnamed, 0, 2_000)), { ok: true }, 'asynchronous: no standby needed');
  t.match(await evaluateCondition('healthy', at(unnamed, 0, 2_000, { synchronousMode: true })), {
    ok: false,
    reason: /no replica is a synchronous standby yet/,
  });
  t.match(await evaluateCondition('healthy', at(named, 0, 2_000, { synchronousMode: true })), {
    ok: true,
    detail: /synchronous standby node2/,
  });
});

t.test('only samples since the step began count', async (t) => {
  t.match(await evaluateCondition('healthy', at(h, 4_999, 5_000)), { ok: false, pending: true });
});

t.test('new-leader, no-primary, rejoined, writes-ok', async (t) => {
  t.match(await evaluateCondition('new-leader', at(h, 0, 5_000)), { ok: false, reason: /node1 still leads/ });
  t.match(await evaluateCondition('no-primary', at(h, 11_000, 20_000)), { ok: true });
  t.match(await evaluateCondition('new-leader', at(h, 32_000, 35_000)), { ok: true, detail: /node2 took over on timeline 2/ });
  t.match(await evaluateCondition('rejoined', at(h, 41_000, 43_000, { target: 'node1' })), { ok: false });
  t.match(await evaluateCondition('rejoined', at(h, 46_000, 50_000, { target: 'node1' })), {
    ok: true,
    detail: /node1 streams from node2/,
  });
  t.match(await evaluateCondition('writes-ok', at(h, 10_000, 10_500)), {
    ok: false,
    reason: /write 101 on node1 has an unknown outcome \(terminated\)/,
  });
  t.match(await evaluateCondition('writes-ok', at(h, 12_000, 20_000)), { ok: false, reason: /failed \(refused\)/ });
  t.match(await evaluateCondition('writes-ok', at(h, 32_000, 35_000)), { ok: true });
});

t.test('two nodes accepting writes is never "healthy" nor a "leader"', async (t) => {
  const split = new HistoryBuilder().roles(0, 2_000, { node1: 'primary', node2: 'primary' }).build();
  t.match(await evaluateCondition('leader', at(split, 0, 2_000)), { ok: false, reason: /node1 and node2 accept writes at once/ });
  t.match(await evaluateCondition('healthy', at(split, 0, 2_000)), { ok: false });
});

t.test('node-reset compares boot markers', async (t) => {
  t.match(await evaluateCondition('node-reset', at(h, 0, 5_000, { target: 'node1' })), { ok: true, detail: /boot-1 -> boot-2/ });
});

t.test('node-reset: a node that cannot be asked (a VM rebooting, its ssh down) is not reset yet, not an error', async (t) => {
  const rebooting = { bootMarker: async () => Promise.reject(new Error('cannot reach node1 over ssh')) };
  t.match(await evaluateCondition('node-reset', at(h, 0, 5_000, { target: 'node1', provider: rebooting })), {
    ok: false,
    reason: /cannot be asked.*cannot reach node1 over ssh/,
  });
});

t.test('restart-pending: only once every node shows a restart pending', async (t) => {
  const shapes = { node1: 'primary', node2: 'replica', node3: 'replica' } as const;
  const h = new HistoryBuilder()
    .roles(0, 1_000, shapes, { pendingRestart: { node1: true, node2: false, node3: true } })
    .roles(1_000, 2_000, shapes, { pendingRestart: { node1: true, node2: true, node3: true } })
    .build();
  t.match(await evaluateCondition('restart-pending', at(h, 0, 1_000)), { ok: false, reason: 'no restart pending on node2' });
  t.match(await evaluateCondition('restart-pending', at(h, 0, 2_000)), { ok: true });
  const unreported = new HistoryBuilder().roles(0, 1_000, shapes).build();
  t.match(await evaluateCondition('restart-pending', at(unreported, 0, 1_000)), { ok: false }, 'not reported is not pending');
});
