/**
 * One hand-built History per anomaly class and per extra report, each from its definition (Adya's
 * phenomena as Elle infers them from list-append reads), and the histories that must pass.
 */
import t from 'tap';
import { anomalies } from '../../../lab/scenarios/checks/anomalies.js';
import type { ModelName } from '../../../lab/scenarios/checks/anomalies/models.js';
import { runChecks } from '../../../lab/scenarios/checks/index.js';
import type { History } from '../../../lab/scenarios/history/history.js';
import { HistoryBuilder } from '../build-history.js';

const check = (h: History, model: ModelName | 'auto' = 'serializable') => anomalies.run(h, { model });

/** The names of the anomalies the check listed, from its evidence's first lines. */
function found(h: History, model: ModelName | 'auto' = 'serializable'): string[] {
  return check(h, model)
    .evidence.filter((l) => !l.startsWith(' ') && !l.startsWith('model checked') && !/^\d+ transactions/.test(l))
    .map((l) => l.replace(/^allowed by [a-z-]+: /, '').split(':')[0]!);
}

t.test('transactions one after another fit every model: pass, naming the model', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 5, 'ok', [
      ['append', 1, 1],
      ['r', 2, []],
    ])
    .txn(1, 10, 5, 'ok', [
      ['r', 1, [1]],
      ['append', 2, 1],
    ])
    .txn(0, 20, 5, 'ok', [
      ['r', 1, [1]],
      ['r', 2, [1]],
      ['append', 1, 2],
    ])
    .txn(1, 30, 5, 'ok', [['r', 1, [1, 2]]])
    .build();
  for (const model of ['serializable', 'strict-serializable', 'strong-session-serializable'] as const) {
    const r = check(h, model);
    t.equal(r.status, 'pass', `${model}: ${r.summary}`);
    t.match(r.summary, `4 transactions fit ${model}`);
    t.same(r.figures, { transactions: 4, ok: 4, fail: 0, info: 0, anomalies: 0, forbidden: 0 });
  }
});

t.test('G0, write cycle: T0 and T1 each appended first to one of two keys', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [
      ['append', 1, 1],
      ['append', 2, 2],
    ])
    .txn(1, 0, 10, 'ok', [
      ['append', 1, 2],
      ['append', 2, 1],
    ])
    .txn(2, 20, 5, 'ok', [
      ['r', 1, [1, 2]],
      ['r', 2, [1, 2]],
    ])
    .build();
  const r = check(h);
  t.equal(r.status, 'fail');
  t.match(r.summary, 'serializable violated: 1 G0');
  const text = r.evidence.join('\n');
  t.match(text, /G0: T\d < T\d < T\d, a cycle no serial order explains/);
  t.match(text, 'T0 appended 1 to key 1, and T1 appended 2 right after it (ww)');
  t.match(text, 'T1 appended 1 to key 2, and T0 appended 2 right after it (ww)');
  t.match(text, 'T0: process 0 through haproxy-rw, 0.0 s to 0.0 s, ok: [append 1 1] [append 2 2]');
});

t.test("G1c, circular information flow: each read the other one's append", async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [
      ['append', 1, 1],
      ['r', 2, [1]],
    ])
    .txn(1, 0, 10, 'ok', [
      ['append', 2, 1],
      ['r', 1, [1]],
    ])
    .build();
  t.same(found(h), ['G1c']);
  t.match(check(h).evidence.join('\n'), "T1 read key 1 as [1], ending with T0's append of 1 (wr)");
});

t.test('G-single, read skew: T0 saw T1 on one key and missed it on the other', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [
      ['r', 1, []],
      ['r', 2, [1]],
    ])
    .txn(1, 0, 10, 'ok', [
      ['append', 1, 1],
      ['append', 2, 1],
    ])
    .txn(2, 20, 5, 'ok', [
      ['r', 1, [1]],
      ['r', 2, [1]],
    ])
    .build();
  t.same(found(h), ['G-single']);
  t.match(check(h).evidence.join('\n'), "T0 read key 1 as [], without T1's append of 1 that came next (rw)");
  // PostgreSQL's repeatable read is snapshot isolation, which forbids it; read committed allows it.
  t.equal(check(h, 'snapshot-isolation').status, 'fail');
  const rc = check(h, 'read-committed');
  t.equal(rc.status, 'pass', rc.summary);
  t.match(rc.summary, 'allowed by it: 1 G-single');
  t.match(rc.evidence.join('\n'), 'allowed by read-committed: G-single');
});

t.test('G2-item, write skew: each read the key the other appended to, before it', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [
      ['r', 1, []],
      ['append', 2, 1],
    ])
    .txn(1, 0, 10, 'ok', [
      ['r', 2, []],
      ['append', 1, 1],
    ])
    .txn(2, 20, 5, 'ok', [
      ['r', 1, [1]],
      ['r', 2, [1]],
    ])
    .build();
  t.same(found(h), ['G2-item']);
  // Snapshot isolation allows write skew; serializable does not.
  t.equal(check(h, 'snapshot-isolation').status, 'pass');
  t.equal(check(h, 'serializable').status, 'fail');
});

t.test('G1a, aborted read: a read saw an append of a transaction that failed', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'fail', [['append', 1, 1]])
    .txn(1, 20, 5, 'ok', [['r', 1, [1]]])
    .build();
  t.same(found(h, 'read-committed'), ['G1a']);
  t.match(check(h).evidence.join('\n'), 'G1a: T1 read key 1 as [1], with 1, appended by T0, which failed');
});

t.test('G1b, intermediate read: a read ended with a value its writer appended more after', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [
      ['append', 1, 1],
      ['append', 1, 2],
    ])
    .txn(1, 0, 10, 'ok', [['r', 1, [1]]])
    .txn(2, 20, 5, 'ok', [['r', 1, [1, 2]]])
    .build();
  // Reading [1] puts T1 after T0 (wr) and before T0's append of 2 (rw): a one-anti-dependency cycle too.
  t.same(found(h, 'read-committed'), ['G1b', 'G-single']);
  t.equal(check(h, 'read-committed').status, 'fail', 'read committed forbids G1b');
});

t.test("lost: an append acknowledged before the key's last read began is missing from it", async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [['append', 1, 1]])
    .txn(1, 0, 10, 'ok', [['append', 1, 2]])
    .txn(2, 20, 5, 'ok', [['r', 1, [2]]], { path: 'libpq' })
    .build();
  t.same(found(h), ['lost']);
  t.match(
    check(h).evidence.join('\n'),
    'lost: T0 appended 1 to key 1, acknowledged at 0.0 s; T2, the last read of key 1, began at 0.0 s and read [2] without it',
  );
  t.match(check(h).evidence.join('\n'), 'T2: process 2 through libpq');
});

t.test(
  'incompatible-order: two reads of a key, neither a prefix of the other (a failover onto a replica that missed appends)',
  async (t) => {
    const h = new HistoryBuilder()
      .txn(0, 0, 10, 'ok', [['append', 1, 1]])
      .txn(1, 20, 10, 'ok', [
        ['r', 1, [1]],
        ['append', 1, 2],
      ])
      .txn(2, 40, 10, 'ok', [['append', 1, 3]])
      .txn(3, 60, 10, 'ok', [['r', 1, [1, 3]]])
      .txn(4, 60, 10, 'ok', [['r', 1, [1, 2]]])
      .build();
    t.ok(found(h).includes('incompatible-order'));
    t.match(
      check(h).evidence.join('\n'),
      /incompatible-order: T\d read key 1 as \[1 \d\] and T\d as \[1 \d\]; neither is a prefix/,
    );
  },
);

t.test('duplicate: a value read twice in one list', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [['append', 1, 1]])
    .txn(1, 20, 5, 'ok', [['r', 1, [1, 1]]])
    .build();
  t.same(found(h), ['duplicate']);
});

t.test('a stale read after an acknowledged append: real-time order makes it a cycle; process order too', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'ok', [['append', 1, 1]])
    .txn(0, 20, 5, 'ok', [['r', 1, []]])
    .txn(1, 40, 5, 'ok', [['r', 1, [1]]])
    .build();
  t.same(found(h, 'serializable'), [], 'serializable alone orders T1 before T0');
  t.same(found(h, 'strict-serializable'), ['G-single-realtime']);
  t.match(
    check(h, 'strict-serializable').evidence.join('\n'),
    'T0 completed at 0.0 s, before T1 was invoked at 0.0 s (realtime)',
  );
  t.same(found(h, 'strong-session-serializable'), ['G-single-process']);
});

t.test('an indeterminate append that landed orders like an ok one; one never read judges nothing', async (t) => {
  const h = new HistoryBuilder()
    .txn(0, 0, 10, 'info', [['append', 1, 1]])
    .txn(1, 0, 10, 'info', [['append', 1, 2]])
    .txn(2, 20, 5, 'ok', [['r', 1, [1]]])
    .build();
  const r = check(h);
  t.equal(r.status, 'pass', r.summary);
  t.same(r.figures, { transactions: 3, ok: 1, fail: 0, info: 2, anomalies: 0, forbidden: 0 });
});

t.test("auto: the model is the isolation level's; the check runs by itself when transactions ran", async (t) => {
  const h = new HistoryBuilder()
    .txn(
      0,
      0,
      10,
      'ok',
      [
        ['r', 1, []],
        ['r', 2, [1]],
      ],
      { isolation: 'repeatable read' },
    )
    .txn(
      1,
      0,
      10,
      'ok',
      [
        ['append', 1, 1],
        ['append', 2, 1],
      ],
      { isolation: 'repeatable read' },
    )
    .txn(
      2,
      20,
      5,
      'ok',
      [
        ['r', 1, [1]],
        ['r', 2, [1]],
      ],
      { isolation: 'repeatable read' },
    )
    .build();
  const [, r] = runChecks(h, []);
  t.equal(r?.name, 'anomalies');
  t.equal(r?.status, 'fail');
  t.match(r?.evidence[0], 'model checked: snapshot-isolation (isolation repeatable read)');
  t.equal(runChecks(new HistoryBuilder().build(), []).length, 1, 'no transactions: not run');
});

t.test('no transaction acknowledged: unknown', async (t) => {
  const r = check(new HistoryBuilder().txn(0, 0, 10, 'fail', [['append', 1, 1]]).build());
  t.equal(r.status, 'unknown');
});
