/** The breakdown of an outage: each point from the finest source there is, and no order its sources cannot give. */
import t from 'tap';
import { breakdown, JOURNAL_SLACK_MS } from '../../../lab/scenarios/checks/breakdown.js';
import { parseJournal } from '../../../lab/scenarios/client/patroni-log.js';
import type { History } from '../../../lab/scenarios/history/history.js';
import type { Outage } from '../../../lab/scenarios/checks/unavailability.js';
import { HistoryBuilder } from '../build-history.js';

const ORIGIN = Date.parse('2026-12-07T20:52:27.047Z');
// What `journalctl -u haproxy.service -o short-unix` printed on the HAProxy node during a dcs-outage run.
const HAPROXY = `1796676768.064087 haproxy haproxy[404]: [WARNING]  (404) : Server primary/node2 is DOWN, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 2ms. 0 active and 0 backup servers left.
1796676768.064087 haproxy haproxy[404]: [ALERT]    (404) : proxy 'primary' has no server available!
1796676773.085197 haproxy haproxy[404]: [WARNING]  (404) : Server primary/node2 is UP, reason: Layer7 check passed, code: 200, check duration: 5ms. 1 active and 0 backup servers online.
`;

const crash: Outage = { from: 9_900, to: 31_000, ms: 21_100, cause: 'crash-node on node1', faultAt: 10_000, recovered: true };

t.test("HAProxy's journal: its state changes, timed from the run start", async (t) => {
  const lines = parseJournal(HAPROXY, 'haproxy', ORIGIN, 'haproxy', /Server \S+\/\S+ is (UP|DOWN)/);
  t.same(
    lines.map((l) => [l.t, l.line.slice(0, 40)]),
    [
      [21_017, '[WARNING]  (404) : Server primary/node2 '],
      [26_038, '[WARNING]  (404) : Server primary/node2 '],
    ],
  );
});

t.test('with no journal lines, the sampler gives the points, each up to a sample period early', async (t) => {
  const history: History = new HistoryBuilder()
    .roles(0, 10_000, { node1: 'primary' })
    .roles(10_000, 30_000, { node1: 'down', node2: 'replica' }, { leader: null })
    .roles(30_000, 32_000, { node1: 'down', node2: 'primary' })
    .build();
  const b = breakdown(history, crash, { behindHaproxy: false });
  t.same(
    b?.points.map((p) => [p.what, p.ms, p.source, p.node]),
    [
      ['leader key', 20_000, 'sampler', 'node2'],
      ['promoted', 20_000, 'sampler', 'node2'],
      ['first ok', 21_000, 'client', undefined],
    ],
  );
  t.same(b?.unordered, [['leader key', 'promoted']], 'seen in the same sample: not ordered');
  t.equal(b?.points[0]?.earlierByMs, history.meta.samplePeriodMs);
});

t.test("Patroni's lines order points the sampler could not, to the journal's slack", async (t) => {
  const base = new HistoryBuilder()
    .roles(0, 10_000, { node1: 'primary' })
    .roles(10_000, 32_000, { node1: 'down', node2: 'primary' })
    .build();
  const history: History = {
    ...base,
    events: [
      ...base.events,
      {
        kind: 'log' as const,
        t: 29_000,
        node: 'node2',
        source: 'patroni' as const,
        line: 'INFO: promoted self to leader by acquiring session lock',
      },
      {
        kind: 'log' as const,
        t: 29_000 + JOURNAL_SLACK_MS + 1,
        node: 'node2',
        source: 'patroni' as const,
        line: 'LOG:  database system is ready to accept connections',
      },
    ].sort((a, b) => a.t - b.t),
  };
  const b = breakdown(history, crash, { behindHaproxy: true });
  t.same(
    b?.points.map((p) => [p.what, p.ms, p.source]),
    [
      ['leader key', 19_000, 'patroni log'],
      ['promoted', 19_051, 'patroni log'],
      ['first ok', 21_000, 'client'],
    ],
    'no HAProxy point when it recorded none',
  );
  t.same(b?.unordered, []);
  t.equal(
    breakdown(history, { ...crash, cause: null, faultAt: null }, { behindHaproxy: false }),
    null,
    'an outage laid to no fault has no breakdown',
  );
});
