/** Patroni's journal read back into the History, and the known findings recognised from it. */
import t from 'tap';
import { formatSummary } from '../../../lab/report/console.js';
import { excusing, recognizeFindings } from '../../../lab/scenarios/checks/findings.js';
import { parsePatroniJournal } from '../../../lab/scenarios/client/patroni-log.js';
import type { History } from '../../../lab/scenarios/history/history.js';
import { HistoryBuilder } from '../build-history.js';

const ORIGIN = Date.parse('2026-11-25T21:31:58.000Z');

// What `journalctl -u patroni -o short-unix` printed on a leader when the etcd member it used was stopped.
const DEMOTED = `1795642318.873120 node1 patroni[96]: 2026-11-25 21:31:58,873 INFO: no action. I am (node1), the leader with the lock
1795642320.852410 node1 patroni[96]: 2026-11-25 21:32:00,852 ERROR: watchprefix failed: <Unknown error: '{'error': {'code': 14, 'message': 'error reading from server: EOF'}}', code: 2>
1795642320.853001 node1 patroni[96]:   File "/usr/lib/python3/dist-packages/patroni/dcs/etcd3.py", line 382, in lease_keepalive
1795642320.853301 node1 patroni[96]: patroni.dcs.etcd3.Unknown: <Unknown error: '{'error': {'code': 14, 'message': 'error reading from server: EOF'}}', code: 2>
1795642320.857112 node1 patroni[96]: 2026-11-25 21:32:00,857 ERROR: failed to update leader lock
1795642320.857420 node1 patroni[96]: 2026-11-25 21:32:00,857 INFO: Demoting self (immediate-nolock)
1795642321.923000 node1 patroni[96]: 2026-11-25 21:32:01,923 INFO: demoted self because failed to update leader lock in DCS
`;

// The same stop with nothing demoted: the watch broke, the client moved to another member.
const SURVIVED = `1795642320.852410 node1 patroni[96]: 2026-11-25 21:32:00,852 ERROR: watchprefix failed: <Unknown error: '{'error': {'code': 14, 'message': 'error reading from server: EOF'}}', code: 2>
1795642320.863000 node1 patroni[96]: 2026-11-25 21:32:00,863 INFO: Selected new etcd server http://10.88.0.13:2379
1795642322.870000 node1 patroni[96]: 2026-11-25 21:32:02,870 INFO: no action. I am (node1), the leader with the lock
`;

const withLog = (journal: string): History => {
  const h = new HistoryBuilder().roles(0, 5_000, { node1: 'primary' }).build();
  return { ...h, events: [...h.events, ...parsePatroniJournal(journal, 'node1', ORIGIN)] };
};

t.test('the journal keeps only the lines that explain a role change, timed from the run start', async (t) => {
  const lines = parsePatroniJournal(DEMOTED, 'node1', ORIGIN);
  t.same(
    lines.map((l) => l.line),
    [
      "ERROR: watchprefix failed: <Unknown error: '{'error': {'code': 14, 'message': 'error reading from server: EOF'}}', code: 2>",
      "patroni.dcs.etcd3.Unknown: <Unknown error: '{'error': {'code': 14, 'message': 'error reading from server: EOF'}}', code: 2>",
      'ERROR: failed to update leader lock',
      'INFO: Demoting self (immediate-nolock)',
      'INFO: demoted self because failed to update leader lock in DCS',
    ],
    'no "no action" lines, no traceback frames, no Patroni timestamp',
  );
  t.equal(lines[0]!.t, 2852, 'milliseconds since the run started');
  t.same(parsePatroniJournal('-- No entries --\n', 'node1', ORIGIN), []);
});

t.test('a demotion after an unrecognised etcd3 error is a known finding; surviving the same stop is not', async (t) => {
  const [finding, ...more] = recognizeFindings(withLog(DEMOTED));
  t.same(more, [], 'one finding per node');
  t.match(finding, {
    id: 'patroni-etcd3-unknown-error-demotion',
    node: 'node1',
    summary: /Patroni on node1 demoted its primary/,
  });
  t.match(finding!.evidence, [/2\.9 s node1: .*Unknown error/, /failed to update leader lock/, /Demoting self/]);
  t.same(recognizeFindings(withLog(SURVIVED)), []);
  t.same(recognizeFindings(withLog('')), [], 'no journal, no finding');
});

t.test('the summary prints findings next to the checks', async (t) => {
  const history = withLog(DEMOTED);
  const summary = formatSummary({
    history,
    checks: [],
    verdict: 'pass',
    figures: {
      detectionMs: null,
      promotionMs: null,
      downtimeMs: null,
      writesOk: 0,
      writesFailed: 0,
      writesIndeterminate: 0,
    } as never,
    lab: { healthy: true, problems: [] },
    interrupted: false,
    wallMs: 1000,
    findings: recognizeFindings(history),
  });
  t.match(summary, /KNOWN {2}patroni-etcd3-unknown-error-demotion: Patroni on node1 demoted/);
});

t.test('hung operations on an entry path are an observation that says what they mean, and excuse nothing', async (t) => {
  const h = new HistoryBuilder().roles(0, 5_000, { node1: 'primary' }).build();
  const history: History = {
    ...h,
    events: [
      ...h.events,
      { kind: 'op', t: 1000, path: 'haproxy-rw', op: 'write', id: 1, phase: 'invoke' },
      {
        kind: 'op',
        t: 2100,
        path: 'haproxy-rw',
        op: 'write',
        id: 1,
        phase: 'fail',
        errorClass: 'timeout',
        error: 'Connection terminated due to connection timeout',
      },
      { kind: 'op', t: 3000, path: 'haproxy-rw', op: 'write', id: 2, phase: 'invoke' },
      { kind: 'op', t: 3010, path: 'haproxy-rw', op: 'write', id: 2, phase: 'ok' },
      { kind: 'op', t: 4000, path: 'pgbouncer', op: 'write', id: 1, phase: 'invoke' },
    ].sort((a, b) => a.t - b.t) as History['events'],
  };
  const found = recognizeFindings(history);
  t.same(
    found.map((f) => [f.id, f.kind, f.node]),
    [
      ['entry-path-hung-operations', 'observation', 'haproxy-rw'],
      ['entry-path-hung-operations', 'observation', 'pgbouncer'],
    ],
  );
  t.match(found[0]!.summary, /1 operation\(s\) on haproxy-rw hung/);
  t.match(found[0]!.evidence[0], /1 x no session within the connect bound/);
  t.match(found[1]!.evidence[0], /no answer before the run ended/, 'an operation the run ended under');
  t.same(excusing(found), [], 'no check is excused by it');
  const summary = formatSummary({
    history,
    checks: [],
    verdict: 'pass',
    figures: {
      detectionMs: null,
      promotionMs: null,
      downtimeMs: null,
      writesOk: 0,
      writesFailed: 0,
      writesIndeterminate: 0,
    } as never,
    lab: { healthy: true, problems: [] },
    interrupted: false,
    wallMs: 1000,
    findings: found,
  });
  t.match(summary, /NOTE {3}entry-path-hung-operations: 1 operation\(s\) on haproxy-rw hung/);
});
