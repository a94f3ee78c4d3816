/** Every check on hand-made Histories: the textbook run passes, and each way it can go wrong fails. */
import t from 'tap';
import { CHECKS, runChecks, verdict } from '../../lab/scenarios/checks/index.js';
import type { CheckResult } from '../../lab/scenarios/checks/types.js';
import type { History } from '../../lab/scenarios/history/history.js';
import { computeFigures } from '../../lab/scenarios/checks/figures.js';
import { HistoryBuilder, failoverHistory } from './build-history.js';

function check(name: string, history: History, params: Record<string, unknown> = {}): CheckResult {
  return runChecks(history, [{ name, params }]).find((r) => r.name === name)!;
}

t.test('the textbook failover passes every failover check', async (t) => {
  const h = failoverHistory().step(59_000, 0, 'wait: rejoined', 'ok').build();
  const results = runChecks(
    h,
    ['single-primary', 'failover-time', 'no-lost-writes', 'timeline-advanced', 'rejoined'].map((name) => ({ name, params: {} })),
  );
  for (const r of results) t.equal(r.status, 'pass', `${r.name}: ${r.summary}`);
  t.equal(verdict(results), 'pass');
});

t.test('figures: detection, promotion and downtime relative to the fault', async (t) => {
  const f = computeFigures(failoverHistory().build());
  t.equal(f.oldLeader, 'node1');
  t.equal(f.newLeader, 'node2');
  t.equal(f.detectionMs, 20_000, 'the leader key vanished from node2/node3 views at 30 s');
  t.equal(f.promotionMs, 21_000);
  // last ok write acknowledged at 9.905 s, first ok on node2 at 31.005 s; the indeterminate write at 10 s is no acknowledgement
  t.equal(f.downtimeMs, 21_100);
  t.equal(f.writesFailed, 20);
  t.equal(f.writesIndeterminate, 1);
  t.equal(f.writesOk, 100 + 290);
});

t.test('figures: with no acknowledgement before the fault, the downtime counts from the fault', async (t) => {
  const h = new HistoryBuilder()
    .roles(0, 40_000, { node1: 'primary', node2: 'replica', node3: 'replica' })
    .fault(2_000, 'crash-node', 'node1')
    .writes(24_000, 26_000, 'node2', 'ok')
    .build();
  t.match(
    computeFigures(h),
    { downtimeMs: 22_005, downtimeFrom: 2_000 },
    'not the 100 ms between the first two acknowledgements after it',
  );
});

t.test('figures: a write invoked but never completed is indeterminate', async (t) => {
  const h = new HistoryBuilder().writes(0, 300, 'node1', 'ok').build();
  h.events.push({ kind: 'write', t: 400, seq: 4, phase: 'invoke', node: 'node1' });
  t.match(computeFigures(h), { writesOk: 3, writesFailed: 0, writesIndeterminate: 1 });
});

t.test('single-primary fails when two nodes accept writes at once', async (t) => {
  const r = check('single-primary', failoverHistory({ oldStaysPrimaryUntil: 33_000 }).build());
  t.equal(r.status, 'fail');
  t.match(r.summary, /two primaries: node\d and node\d/);
  t.ok((r.figures.overlapMs ?? 0) >= 1_750, `overlap ${r.figures.overlapMs} ms`);
});

t.test('single-primary counts a frozen Patroni over a live primary as writable', async (t) => {
  const h = new HistoryBuilder()
    .roles(0, 5_000, { node1: 'primary', node2: 'replica', node3: 'replica' })
    .fault(5_000, 'freeze', 'node1')
    .roles(5_000, 20_000, { node1: 'frozen-primary', node2: 'replica', node3: 'replica' }, { leader: 'node1' })
    .roles(20_000, 25_000, { node1: 'frozen-primary', node2: 'primary', node3: 'replica' }, { leader: 'node2', timeline: 2 })
    .build();
  t.equal(check('single-primary', h).status, 'fail');
});

t.test('single-primary uses acknowledged writes as proof of a primary', async (t) => {
  // Samples say node1 went down at 10 s, but it acknowledged writes until 32 s while node2 led from 31 s.
  const h = failoverHistory().writes(10_000, 32_000, 'node1', 'ok', 500).build();
  t.equal(check('single-primary', h).status, 'fail');
});

t.test('single-primary reports the hand-over margin when it passes', async (t) => {
  const r = check('single-primary', failoverHistory().build());
  t.equal(r.status, 'pass');
  t.equal(r.figures.handoverGapMs, 31_000 - 9_905, 'node1 last acknowledged a write at 9.905 s; node2 first writable at 31 s');
});

t.test('failover-time fails when the leader is elected late', async (t) => {
  const r = check('failover-time', failoverHistory({ promoteAt: 70_000 }).build());
  t.equal(r.status, 'fail');
  t.match(r.summary, /later than the bound 50\.0 s/);
  t.equal(r.figures.boundMs, 50_000, 'ttl 30 + loop_wait 10 + 10 s');
});

t.test('failover-time honours a tighter bound from the scenario', async (t) => {
  t.equal(check('failover-time', failoverHistory().build(), { within: 'ttl - 10s' }).status, 'fail');
  t.equal(check('failover-time', failoverHistory().build(), { within: 'ttl' }).status, 'pass');
});

t.test('failover-time is unknown without a fault, and fails when nobody takes over', async (t) => {
  const quiet = new HistoryBuilder().roles(0, 5_000, { node1: 'primary' }).build();
  t.equal(check('failover-time', quiet).status, 'unknown');
  const stuck = new HistoryBuilder()
    .roles(0, 5_000, { node1: 'primary' })
    .fault(5_000, 'crash-node', 'node1')
    .roles(5_000, 80_000, { node1: 'down' }, { leader: null })
    .build();
  t.equal(check('failover-time', stuck).status, 'fail');
});

t.test('no-lost-writes fails in synchronous mode when an acknowledged write is missing', async (t) => {
  const b = failoverHistory({ missing: [42, 43, 99] });
  const sync = new HistoryBuilder(undefined, { synchronousMode: true });
  const history = { ...b.build(), meta: { ...sync.build().meta } };
  const r = check('no-lost-writes', history);
  t.equal(r.status, 'fail');
  t.equal(r.figures.lost, 3);
  t.match(r.evidence.join('\n'), /acknowledged and lost: 3 \(42-43, 99\)/);
});

t.test('no-lost-writes sorts every write by outcome and presence, as a set checker does', async (t) => {
  const r = check('no-lost-writes', failoverHistory().build());
  t.equal(r.status, 'pass', 'the write in flight at the crash is indeterminate: not finding it is no loss');
  t.same(r.figures, {
    acknowledged: 390,
    acknowledgedPresent: 390,
    lost: 0,
    indeterminateLanded: 0,
    indeterminateMissing: 1,
    failedAbsent: 20,
    failedPresent: 0,
  });
  t.match(r.summary, /all 390 acknowledged writes are on node2; 0 of 1 indeterminate landed/);
  t.same(r.evidence, [
    '411 writes invoked, 390 rows on node2 at the end',
    'acknowledged and present: 390 (1-100, 122-411)',
    'indeterminate, not landed: 1 (101)',
    'failed and absent: 20 (102-121)',
  ]);
  const landed = check('no-lost-writes', failoverHistory({ landed: [101] }).build(), { require: 'always' });
  t.equal(landed.status, 'pass', 'an indeterminate write may land');
  t.match(landed.figures, { indeterminateLanded: 1, indeterminateMissing: 0 });
  t.match(landed.evidence.join('\n'), /indeterminate, landed: 1 \(101\)/);
});

t.test('no-lost-writes fails when a write reported as certainly failed is present', async (t) => {
  const r = check('no-lost-writes', failoverHistory({ landed: [102, 103] }).build());
  t.equal(r.status, 'fail', 'even under asynchronous replication');
  t.equal(r.figures.failedPresent, 2);
  t.match(r.summary, /2 write\(s\) reported as certainly failed are on node2/);
  t.match(r.evidence.join('\n'), /failed but present: 2 \(102-103\)/);
  const both = check('no-lost-writes', failoverHistory({ landed: [102], missing: [7] }).build());
  t.match(
    both.summary,
    /1 write\(s\) reported as certainly failed .*; 1 of 390 acknowledged writes are missing on node2 \(asynchronous replication: allowed, counted\)/,
  );
});

t.test('no-lost-writes counts asynchronous losses, and fails them when required', async (t) => {
  const h = failoverHistory({ missing: [7] }).build();
  const counted = check('no-lost-writes', h);
  t.equal(counted.status, 'pass');
  t.equal(counted.figures.lost, 1);
  t.equal(check('no-lost-writes', h, { require: 'always' }).status, 'fail');
});

t.test('no-lost-writes is unknown without a final read', async (t) => {
  const r = check('no-lost-writes', new HistoryBuilder().writes(0, 1000, 'node1', 'ok').build());
  t.equal(r.status, 'unknown');
  t.match(r.figures, { acknowledged: 10, lost: null, failedPresent: null });
});

t.test('timeline-advanced fails when the timeline stays', async (t) => {
  t.equal(check('timeline-advanced', failoverHistory().build()).status, 'pass');
  const r = check('timeline-advanced', failoverHistory({ newTimeline: 1 }).build());
  t.equal(r.status, 'fail');
  t.match(r.summary, /did not advance/);
});

t.test('rejoined fails when the old leader never streams on the new timeline', async (t) => {
  const r = check('rejoined', failoverHistory({ rejoinTimeline: 1 }).build(), { within: '10s' });
  t.equal(r.status, 'fail');
  t.match(r.summary, /node1 did not come back/);
  t.equal(check('rejoined', failoverHistory().build(), { within: '2s' }).status, 'fail', 'rejoined 5 s after the heal');
  t.equal(check('rejoined', failoverHistory().build()).figures.rejoinMs, 5_000);
  const stuck = check('rejoined', failoverHistory({ rejoinStuck: true }).build(), { within: '10s' });
  t.equal(stuck.status, 'fail', 'Patroni says running on the right timeline, but the leader has no walsender for it');
});

t.test('leader-kept: a restart in place passes, a failover fails', async (t) => {
  const inPlace = new HistoryBuilder()
    .roles(0, 5_000, { node1: 'primary' })
    .fault(5_000, 'kill-service', 'node1')
    .roles(5_000, 8_000, { node1: 'down' }, { leader: 'node1' })
    .roles(8_000, 12_000, { node1: 'primary' })
    .build();
  t.equal(check('leader-kept', inPlace).status, 'pass');
  const promotedAgain = new HistoryBuilder()
    .roles(0, 5_000, { node1: 'primary' })
    .fault(5_000, 'kill-service', 'node1')
    .roles(5_000, 8_000, { node1: 'down' }, { leader: 'node1' })
    .roles(8_000, 12_000, { node1: 'primary' }, { timeline: 2 })
    .build();
  t.match(
    check('leader-kept', promotedAgain),
    { status: 'pass', summary: /timeline 1 -> 2/ },
    'Patroni starts a crashed primary read-only, then promotes it',
  );
  t.equal(check('leader-kept', failoverHistory().build()).status, 'fail');
  const silentBefore = new HistoryBuilder()
    .roles(0, 4_000, { node1: 'primary' })
    .roles(4_000, 5_000, { node1: 'frozen-primary' })
    .fault(5_000, 'pause-postgres', 'node2')
    .roles(5_000, 12_000, { node1: 'primary' })
    .build();
  t.match(
    check('leader-kept', silentBefore),
    { status: 'pass', summary: /timeline 1/ },
    'a busy host: Patroni silent just before the fault hides no timeline',
  );
});

t.test('etcd-quorum: kept, and lost then restored', async (t) => {
  const healthy = failoverHistory().build();
  t.equal(check('etcd-quorum', healthy).status, 'pass');
  const lossy = new HistoryBuilder()
    .roles(0, 5_000, { node1: 'primary' })
    .fault(5_000, 'stop-service', 'node2')
    .roles(5_000, 10_000, { node1: 'primary' }, { etcd: { node2: false } })
    .roles(10_000, 20_000, { node1: 'demoted' }, { etcd: { node1: false, node2: false, node3: false }, leader: null })
    .roles(20_000, 25_000, { node1: 'primary' })
    .build();
  t.equal(check('etcd-quorum', lossy).status, 'fail', 'kept is the default expectation');
  const r = check('etcd-quorum', lossy, { expect: 'lost-and-restored' });
  t.equal(r.status, 'pass');
  t.equal(r.figures.lostForMs, 10_000);
  t.equal(check('etcd-quorum', healthy, { expect: 'lost-and-restored' }).status, 'fail');
});

t.test('steps: a missed deadline fails the run; skipped steps make it unknown', async (t) => {
  const ok = new HistoryBuilder().step(1, 0, 'wait: healthy', 'ok').build();
  t.equal(check('steps', ok).status, 'pass');
  const late = new HistoryBuilder()
    .step(1, 0, 'wait: healthy', 'ok')
    .step(2, 1, 'wait: new-leader', 'fail', 'not within 50.0 s')
    .build();
  t.equal(check('steps', late).status, 'fail');
  const cut = new HistoryBuilder().step(1, 0, 'wait: healthy', 'skipped').build();
  t.equal(check('steps', cut).status, 'unknown');
});

t.test('verdict: the worst result wins; unknown checks do not crash', async (t) => {
  const r = runChecks(failoverHistory().build(), [{ name: 'no-such-check', params: {} }]);
  t.equal(r.find((x) => x.name === 'no-such-check')?.status, 'unknown');
  t.equal(
    verdict([
      { ...r[0]!, status: 'pass' },
      { ...r[0]!, status: 'unknown' },
    ]),
    'unknown',
  );
  t.equal(
    verdict([
      { ...r[0]!, status: 'fail' },
      { ...r[0]!, status: 'unknown' },
    ]),
    'fail',
  );
  t.ok(Object.keys(CHECKS).includes('single-primary'));
});

t.test('etcd-quorum: a one-second etcd election is not a lost quorum', async (t) => {
  const blip = new HistoryBuilder()
    .roles(0, 5_000, { node1: 'primary' })
    .fault(5_000, 'crash-node', 'node2')
    .roles(5_000, 6_000, { node1: 'primary', node2: 'down' }, { etcd: { node1: false, node2: false, node3: false } })
    .roles(6_000, 10_000, { node1: 'primary', node2: 'down' })
    .build();
  const r = check('etcd-quorum', blip);
  t.equal(r.status, 'pass');
  t.match(r.evidence.join('\n'), /an election/);
  t.equal(check('etcd-quorum', blip, { tolerate: '500ms' }).status, 'fail');
});
