import t from 'tap';
import { plannedTransactions, serialHistory } from '../../bench/anomalies.js';

t.test('serialHistory: each read returns the appends before it, each append the key next value', async (t) => {
  const h = serialHistory([
    { process: 0, ops: [{ append: 1 }, { read: 1 }] },
    { process: 1, ops: [{ read: 1 }, { append: 1 }, { append: 2 }] },
    { process: 0, ops: [{ read: 1 }, { read: 2 }] },
  ]);
  const done = h.events.flatMap((e) => (e.kind === 'txn' && e.phase === 'ok' ? [e.ops] : []));
  t.same(done, [
    [
      ['append', 1, 1],
      ['r', 1, [1]],
    ],
    [
      ['r', 1, [1]],
      ['append', 1, 2],
      ['append', 2, 1],
    ],
    [
      ['r', 1, [1, 2]],
      ['r', 2, [1]],
    ],
  ]);
  t.same(
    h.events.filter((e) => e.kind === 'txn' && e.phase === 'invoke').map((e) => e.t),
    [0, 2, 4],
    'one after another',
  );
});

t.test('plannedTransactions: the same for a seed, and no key takes more than 16 appends', async (t) => {
  const plans = plannedTransactions(5000, 7);
  t.same(plans, plannedTransactions(5000, 7));
  const appends = new Map<number, number>();
  for (const p of plans) for (const op of p.ops) if ('append' in op) appends.set(op.append, (appends.get(op.append) ?? 0) + 1);
  t.ok(Math.max(...appends.values()) <= 16, `at most ${Math.max(...appends.values())} appends a key`);
  t.ok(appends.size > 100, `${appends.size} keys: the window slides`);
});
