/** The bench's figure for the entry paths: downtime minus promotion over repeated runs. */
import t from 'tap';
import { formatPathLag, type ScenarioBenchRow } from '../../bench/scenarios.js';

const row = (scenario: string, promotionMs: number | null, paths: [string, number | null][]): ScenarioBenchRow => ({
  scenario,
  verdict: 'pass',
  wallMs: 60_000,
  detectionMs: 1000,
  promotionMs,
  downtimeMs: 2000,
  writesOk: 100,
  lostWrites: 0,
  paths: paths.map(([path, downtimeMs]) => ({
    path,
    downtimeMs,
    cause: 'crash-node on node1',
    p99DuringMs: null,
    p99AfterMs: null,
  })),
});

t.test('min, median and max of each path, per scenario, over the runs that measured both figures', async (t) => {
  const text = formatPathLag([
    row('failover', 20_000, [
      ['haproxy-rw', 20_300],
      ['pgbouncer', 21_000],
    ]),
    row('failover', 22_000, [
      ['haproxy-rw', 22_100],
      ['pgbouncer', null],
    ]),
    row('failover', 21_000, [
      ['haproxy-rw', 21_900],
      ['pgbouncer', 21_200],
    ]),
    row('switchover', null, [['haproxy-rw', 3000]]),
    row('switchover', 2000, [['haproxy-ro', 300]]),
  ]);
  const lines = text.trimEnd().split('\n');
  t.match(lines[0], /^scenario +path +runs +min +median +max$/);
  t.match(lines[1], /^failover +haproxy-rw +3 +0\.1 s +0\.3 s +0\.9 s$/);
  t.match(lines[2], /^failover +pgbouncer +2 +0\.2 s +0\.2 s +1\.0 s$/, 'the run without a downtime does not count');
  t.match(lines[3], /^switchover +haproxy-rw +0 +n\/a +n\/a +n\/a$/, 'no promotion measured: nothing to subtract from');
  t.equal(lines.length, 4, 'the read-only path waits for no promotion: no row');
});
