/** Per-path figures from a hand-built History: downtime laid to its fault, its breakdown, latency phases, error classes. */
import t from 'tap';
import type { History, HistoryEvent } from '../../../lab/scenarios/history/history.js';
import { pathFigures, percentiles } from '../../../lab/scenarios/checks/path-figures.js';

const meta = {
  scenario: 'failover',
  lab: 'x',
  provider: 'docker',
  startedAt: '2026-01-01T00:00:00Z',
  nodes: ['node1', 'node2'],
  timings: { ttl: 20, loopWait: 2, retryTimeout: 5, primaryStartTimeout: 300, safetyMargin: 5 },
  synchronousMode: false,
  samplePeriodMs: 250,
};

function op(
  path: string,
  id: number,
  at: number,
  ms: number,
  phase: 'ok' | 'fail' | 'indeterminate',
  errorClass?: 'refused' | 'timeout' | 'terminated' | 'read-only',
  kind: 'write' | 'read' = 'write',
): HistoryEvent[] {
  return [
    { kind: 'op', t: at, path, op: kind, id, phase: 'invoke' },
    { kind: 'op', t: at + ms, path, op: kind, id, phase, ...(errorClass ? { errorClass, error: errorClass } : {}) },
  ];
}

const sorted = (events: HistoryEvent[]): History => ({ meta, events: events.sort((a, b) => a.t - b.t) });

t.test('downtime is last ok before the fault to first ok after; the breakdown sets it beside the cluster', async (t) => {
  const history = sorted([
    ...op('haproxy-rw', 1, 100, 10, 'ok'),
    ...op('haproxy-rw', 2, 200, 20, 'ok'),
    { kind: 'fault', t: 1000, fault: 'crash-node', node: 'node1' },
    ...op('haproxy-rw', 3, 1100, 2000, 'indeterminate', 'terminated'),
    ...op('haproxy-rw', 4, 3200, 100, 'fail', 'refused'),
    { kind: 'log', t: 6000, node: 'node2', source: 'patroni', line: 'INFO: promoted self to leader by acquiring session lock' },
    { kind: 'log', t: 6900, node: 'node2', source: 'patroni', line: 'LOG:  database system is ready to accept connections' },
    { kind: 'haproxy', t: 7500, readWrite: ['node2'], readOnly: [] },
    {
      kind: 'log',
      t: 7300,
      node: 'haproxy',
      source: 'haproxy',
      line: '[WARNING]  (404) : Server primary/node2 is UP, reason: Layer7 check passed',
    },
    ...op('haproxy-rw', 5, 7900, 100, 'ok'),
    ...op('haproxy-rw', 6, 8100, 30, 'ok'),
  ]);
  const [rw] = pathFigures(history);
  t.equal(rw?.path, 'haproxy-rw');
  t.same(
    [rw?.downtimeFrom, rw?.downtimeTo, rw?.downtimeMs, rw?.downtimeCause],
    [220, 8000, 7780, 'crash-node on node1'],
    'from the last ok before the fault to the first after',
  );
  t.same(
    rw?.breakdown?.points.map((p) => [p.what, p.ms, p.source]),
    [
      ['leader key', 5000, 'patroni log'],
      ['promoted', 5900, 'patroni log'],
      ['HAProxy up', 6300, 'haproxy log'],
      ['first ok', 7000, 'client'],
    ],
    "the journals' lines, not the 250 ms stats poll",
  );
  t.same(rw?.breakdown?.unordered, []);
  t.same(rw?.errorClasses, { terminated: 1, refused: 1 });
  t.same([rw?.ok, rw?.failed, rw?.indeterminate, rw?.hung], [4, 1, 1, 0]);
  t.same(rw?.latency.before, { n: 2, p50: 10, p95: 20, p99: 20 });
  t.same(rw?.latency.during, { n: 3, p50: 100, p95: 2000, p99: 2000 }, 'invoked between the fault and the first ok after it');
  t.same(rw?.latency.after, { n: 1, p50: 30, p95: 30, p99: 30 });
});

t.test(
  'dcs-outage: reads answered by the demoted primary are no availability of a read-write path, and the outage is laid to the outage, not the configuration change before it',
  async (t) => {
    const events: HistoryEvent[] = [{ kind: 'fault', t: 1000, fault: 'failsafe-mode', node: 'node1' }];
    let id = 0;
    // Writes and read-backs every 200 ms until the leader demotes itself at 10 s; then writes fail read-only
    // or terminated while reads of the demoted (read-only) primary keep answering, until 15.6 s.
    for (let at = 0; at < 20_000; at += 200) {
      const down = at >= 10_000 && at < 15_600;
      events.push(
        ...op('haproxy-rw', ++id, at, 5, down ? 'fail' : 'ok', down ? (at % 400 === 0 ? 'read-only' : 'terminated') : undefined),
      );
      events.push(...op('haproxy-rw', ++id, at + 10, 5, 'ok', undefined, 'read'));
      events.push(...op('haproxy-ro', ++id, at + 20, 5, 'ok', undefined, 'read'));
    }
    events.push(
      { kind: 'fault', t: 5000, fault: 'dcs-outage', node: 'node1' },
      { kind: 'heal', t: 14_000, fault: 'dcs-outage', node: 'node1', ok: true },
      { kind: 'heal', t: 19_000, fault: 'failsafe-mode', node: 'node1', ok: true },
    );
    const [rw, ro] = pathFigures(sorted(events));
    t.equal(rw?.downtimeMs, 15_605 - 9_805, 'the writes: last ok write at 9.8 s, first again at 15.6 s, whatever the reads said');
    t.equal(rw?.downtimeCause, 'dcs-outage on node1', 'the fault in force when it began, the latest injected');
    t.equal(rw?.breakdown?.faultAt, 5000, 'its breakdown counts from the outage');
    t.same(
      rw?.byFault.map((o) => [o.cause, o.ms]),
      [
        ['failsafe-mode on node1', 200],
        ['dcs-outage on node1', 5800],
      ],
      'each fault with its own longest stretch',
    );
    t.same(
      rw?.windows.map((w) => [w.from, w.to]),
      [[9_805, 15_605]],
      'one stretch over UNAVAILABLE_MS',
    );
    t.equal(ro?.path, 'haproxy-ro');
    t.equal(ro?.downtimeMs, 200, 'the read-only path is judged on its reads, which never stopped');
  },
);

t.test('two points their sources cannot order are said to be so, not put in an order', async (t) => {
  const history = sorted([
    ...op('pgbouncer', 1, 0, 10, 'ok'),
    { kind: 'fault', t: 1000, fault: 'crash-node', node: 'node1' },
    { kind: 'haproxy', t: 5100, readWrite: ['node2'], readOnly: [] },
    ...op('pgbouncer', 2, 4990, 10, 'ok'),
  ]);
  const b = pathFigures(history)[0]?.breakdown;
  t.same(
    b?.points.map((p) => [p.what, p.ms]),
    [
      ['first ok', 4000],
      ['HAProxy up', 4100],
    ],
  );
  t.same(
    b?.unordered,
    [['first ok', 'HAProxy up']],
    'the stats poll saw HAProxy up 100 ms after the first ok, within its 250 ms period',
  );
});

t.test('an operation with no answer within its bound is hung', async (t) => {
  const history: History = {
    meta,
    events: [
      ...op('libpq', 1, 0, 5000, 'indeterminate', 'timeout'),
      { kind: 'op', t: 6000, path: 'libpq', op: 'write', id: 2, phase: 'invoke' },
    ],
  };
  t.equal(pathFigures(history)[0]?.hung, 2);
});

t.test('nearest-rank percentiles', async (t) => {
  t.same(percentiles([5, 1, 3, 2, 4]), { n: 5, p50: 3, p95: 5, p99: 5 });
  t.equal(percentiles([]), null);
});
