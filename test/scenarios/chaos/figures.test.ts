import t from 'tap';
import { computeChaosFigures } from '../../../lab/scenarios/chaos/figures.js';
import { faultSpans, UNAVAILABLE_MS } from '../../../lab/scenarios/checks/unavailability.js';
import { failoverHistory, HistoryBuilder } from '../build-history.js';

t.test('the textbook failover: one unavailability, laid to the crash, and the phases split at fault and heal', async (t) => {
  const history = failoverHistory().build();
  const f = computeChaosFigures(history, { windowMs: 10_000 });
  t.equal(f.from, 0);
  t.same(f.faults, [{ fault: 'crash-node', node: 'node1', from: 10_000, to: 40_000 }]);
  t.equal(f.unavailable.length, 1);
  t.same(
    f.longest,
    { from: 9_905, to: 31_005, ms: 21_100, cause: 'crash-node on node1' },
    'last ack before the crash to the first after the promotion',
  );
  t.same(
    f.windows.map((w) => Math.round(w.percent)),
    [99, 0, 0, 90, 100, 100],
    'the windows the outage covers are at 0 %, the one it ends in at 90 %',
  );
  const quiet = f.phases.find((p) => p.phase === 'quiet')!;
  const crash = f.phases.find((p) => p.phase === 'crash-node')!;
  t.same([quiet.ok, quiet.p50, quiet.p99], [100 + 200, 5, 5], 'every acknowledged write took 5 ms');
  t.same([crash.ok, crash.failed, crash.indeterminate], [90, 20, 1]);
  t.equal(quiet.ms + crash.ms, f.to - f.from, 'the phases cover the run');
  t.equal(crash.ms, 30_000);
  t.ok(f.availabilityPercent! > 60 && f.availabilityPercent! < 70, `${f.availabilityPercent}`);
});

t.test('a stretch long after every heal is laid to no fault', async (t) => {
  const history = new HistoryBuilder()
    .writes(0, 40_000, 'node1', 'ok')
    .fault(1000, 'freeze', 'node2')
    .heal(2000, 'freeze', 'node2')
    .writes(60_000, 70_000, 'node1', 'ok')
    .build();
  const f = computeChaosFigures(history);
  t.equal(f.longest?.cause, null, `began ${40_000 - 2_000} ms after the heal`);
  t.equal(f.longest?.ms, 60_005 - 39_905);
  const soon = new HistoryBuilder()
    .writes(0, 10_000, 'node1', 'ok')
    .fault(1000, 'freeze', 'node2')
    .heal(2000, 'freeze', 'node2')
    .writes(60_000, 70_000, 'node1', 'ok')
    .build();
  t.equal(
    computeChaosFigures(soon).longest?.cause,
    'freeze on node2',
    'began within 30 s of the heal: the cluster still recovering from it',
  );
});

t.test('overlapping faults make a phase of their own, named by both', async (t) => {
  const history = new HistoryBuilder()
    .writes(0, 30_000, 'node1', 'ok')
    .fault(5_000, 'partition', 'node2')
    .fault(10_000, 'freeze', 'node3')
    .heal(15_000, 'partition', 'node2')
    .heal(20_000, 'freeze', 'node3')
    .build();
  const f = computeChaosFigures(history);
  t.same(
    f.phases.map((p) => [p.phase, p.ms]),
    [
      ['quiet', 5_000 + 9_905],
      ['freeze', 5_000],
      ['freeze+partition', 5_000],
      ['partition', 5_000],
    ],
  );
  t.same(f.unavailable, [], 'writes never stopped');
  t.equal(f.availabilityPercent, 100);
});

t.test('an unhealed fault lasts to the end; a gap of exactly the threshold is not unavailability', async (t) => {
  const history = new HistoryBuilder().writes(0, 5_000, 'node1', 'ok', UNAVAILABLE_MS).fault(1_000, 'partition', 'node2').build();
  t.same(
    faultSpans(history, 9_999).map((s) => s.to),
    [9_999],
  );
  t.same(computeChaosFigures(history).unavailable, []);
});

t.test('buckets: bounded in number however many writes, percentiles per bucket', async (t) => {
  const history = new HistoryBuilder().writes(0, 600_000, 'node1', 'ok', 50).build();
  const f = computeChaosFigures(history, { buckets: 300 });
  t.ok(f.buckets.length <= 300, `${f.buckets.length} buckets for ${600_000 / 50} writes`);
  t.equal(f.bucketMs, 2000);
  t.same([f.buckets[0]!.ok, f.buckets[0]!.p50, f.buckets[0]!.p99, f.buckets[0]!.max], [40, 5, 5, 5]);
});

t.test('no writes: nothing measured, nothing invented', async (t) => {
  const f = computeChaosFigures(new HistoryBuilder().build());
  t.same([f.availabilityPercent, f.longest, f.windows, f.buckets, f.phases], [null, null, [], [], []]);
});
