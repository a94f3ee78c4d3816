import t from 'tap';
import { readYourWrites } from '../../../lab/scenarios/checks/read-your-writes.js';
import { runChecks } from '../../../lab/scenarios/checks/index.js';
import { HistoryBuilder } from '../build-history.js';

/** A writer on `path`: write n acknowledged at 10 ms, its read-back at 20 ms seeing `seen(n)`. */
function writer(
  h: HistoryBuilder,
  path: string,
  from: number,
  count: number,
  seen: (row: number) => number | null = (row) => row,
): HistoryBuilder {
  for (let i = 0; i < count; i++) {
    const row = 2 * i + 1;
    h.op(path, 'write', row, from + i * 200, 10, 'ok').op(path, 'read', row + 1, from + i * 200 + 15, 5, 'ok', {
      of: path,
      seen: seen(row),
    });
  }
  return h;
}

t.test('every read-back returns the write acknowledged before it: pass, per path', async (t) => {
  const h = writer(writer(new HistoryBuilder(), 'haproxy-rw', 0, 5), 'libpq', 0, 3).build();
  const r = readYourWrites.run(h, {});
  t.equal(r.status, 'pass', r.summary);
  t.same(r.figures, { reads: 8, missed: 0, unanswered: 0 });
  t.same(r.evidence, [
    'haproxy-rw: 5 read-backs answered, 0 missed a write, 0 not answered',
    'libpq: 3 read-backs answered, 0 missed a write, 0 not answered',
  ]);
});

t.test('a read-back that misses the acknowledged write fails, naming the rows and when', async (t) => {
  // The fourth read-back (after row 7) is answered by a node that has only row 5.
  const h = writer(new HistoryBuilder(), 'pgbouncer', 0, 5, (row) => (row === 7 ? 5 : row)).build();
  const r = readYourWrites.run(h, {});
  t.equal(r.status, 'fail');
  t.same(r.figures, { reads: 5, missed: 1, unanswered: 0 });
  t.match(r.evidence.join('\n'), /pgbouncer at 0\.6 s: read row 5, row 7 was acknowledged before/);
});

t.test('failed writes are not expected back; failed reads judge nothing and are counted', async (t) => {
  const h = new HistoryBuilder()
    .op('haproxy-rw', 'write', 1, 0, 10, 'ok')
    .op('haproxy-rw', 'read', 2, 20, 5, 'ok', { of: 'haproxy-rw', seen: 1 })
    .op('haproxy-rw', 'write', 3, 200, 10, 'fail')
    .op('haproxy-rw', 'read', 4, 220, 5, 'ok', { of: 'haproxy-rw', seen: 1 })
    .op('haproxy-rw', 'read', 6, 400, 5, 'indeterminate', { of: 'haproxy-rw' })
    .build();
  const r = readYourWrites.run(h, {});
  t.equal(r.status, 'pass', r.summary);
  t.same(r.figures, { reads: 2, missed: 0, unanswered: 1 });
});

t.test('the read-only reader is not a read-back; with no read-back at all the check is unknown', async (t) => {
  const h = new HistoryBuilder()
    .op('haproxy-rw', 'write', 1, 0, 10, 'ok')
    .op('haproxy-ro', 'read', 1, 20, 5, 'ok', { of: 'haproxy-rw', seen: null })
    .build();
  t.equal(readYourWrites.run(h, {}).status, 'unknown');
});

t.test('it runs unnamed when writers read back, and not on a History without entry-point clients', async (t) => {
  const withClients = runChecks(writer(new HistoryBuilder(), 'haproxy-rw', 0, 2).build(), []);
  t.ok(withClients.some((c) => c.name === 'read-your-writes' && c.status === 'pass'));
  t.notOk(runChecks(new HistoryBuilder().build(), []).some((c) => c.name === 'read-your-writes'));
  const named = runChecks(writer(new HistoryBuilder(), 'haproxy-rw', 0, 2).build(), [{ name: 'read-your-writes', params: {} }]);
  t.equal(named.filter((c) => c.name === 'read-your-writes').length, 1, 'named once: run once');
});
