/** Per-path figures from a hand-built History: downtime, its breakdown, latency phases, error classes. */
import t from 'tap';
import type { History, HistoryEvent } from '../../../lab/scenarios/history/history.js';
import { pathFigures, percentiles } from '../../../lab/scenarios/checks/path-figures.js';

const meta = { scenario: 'failover', lab: 'x', provider: 'docker', startedAt: '2026-01-01T00:00:00Z', nodes: ['node1', 'node2'], timings: { ttl: 20, loopWait: 2, retryTimeout: 5, primaryStartTimeout: 300, safetyMargin: 5 }, synchronousMode: false, samplePeriodMs: 250 };

function op(path: string, id: number, at: number, ms: number, phase: 'ok' | 'fail' | 'indeterminate', errorClass?: 'refused' | 'timeout' | 'terminated'): HistoryEvent[] {
  return [
    { kind: 'op', t: at, path, op: 'write', id, phase: 'invoke' },
    { kind: 'op', t: at + ms, path, op: 'write', id, phase, ...(errorClass ? { errorClass, error: errorClass } : {}) },
  ];
}

t.test('downtime is last ok before the fault to first ok after; the breakdown sets it beside the cluster', async (t) => {
  const events: HistoryEvent[] = [
    ...op('haproxy-rw', 1, 100, 10, 'ok'),
    ...op('haproxy-rw', 2, 200, 20, 'ok'),
    { kind: 'fault', t: 1000, fault: 'crash-node', node: 'node1' },
    ...op('haproxy-rw', 3, 1100, 2000, 'indeterminate', 'terminated'),
    ...op('haproxy-rw', 4, 3200, 100, 'fail', 'refused'),
    { kind: 'haproxy', t: 7500, readWrite: ['node2'], readOnly: [] },
    ...op('haproxy-rw', 5, 7900, 100, 'ok'),
    ...op('haproxy-rw', 6, 8100, 30, 'ok'),
  ];
  const history: History = { meta, events: events.sort((a, b) => a.t - b.t) };
  const [rw] = pathFigures(history, { faultAt: 1000, detectionMs: 5000, promotionMs: 6000, newLeader: 'node2' });
  t.equal(rw?.path, 'haproxy-rw');
  t.same([rw?.downtimeFrom, rw?.downtimeTo, rw?.downtimeMs], [220, 8000, 7780], 'from the last ok before the fault to the first after');
  t.same(rw?.breakdown, { leaderKeyExpiredMs: 5000, promotionMs: 6000, haproxyMarkedUpMs: 6500, firstOkMs: 7000 });
  t.same(rw?.errorClasses, { terminated: 1, refused: 1 });
  t.same([rw?.ok, rw?.failed, rw?.indeterminate, rw?.hung], [4, 1, 1, 0]);
  t.same(rw?.latency.before, { n: 2, p50: 10, p95: 20, p99: 20 });
  t.same(rw?.latency.during, { n: 3, p50: 100, p95: 2000, p99: 2000 }, 'invoked between the fault and the first ok after it');
  t.same(rw?.latency.after, { n: 1, p50: 30, p95: 30, p99: 30 });
});

t.test('an operation with no answer within its bound is hung', async (t) => {
  const history: History = { meta, events: [...op('libpq', 1, 0, 5000, 'indeterminate', 'timeout'), { kind: 'op', t: 6000, path: 'libpq', op: 'write', id: 2, phase: 'invoke' }] };
  t.equal(pathFigures(history, { faultAt: null, detectionMs: null, promotionMs: null, newLeader: null })[0]?.hung, 2);
});

t.test('nearest-rank percentiles', async (t) => {
  t.same(percentiles([5, 1, 3, 2, 4]), { n: 5, p50: 3, p95: 5, p99: 5 });
  t.equal(percentiles([]), null);
});
