import t from 'tap';
import { replicaStaleness, staleReads } from '../../../lab/scenarios/checks/replica-staleness.js';
import { runChecks } from '../../../lab/scenarios/checks/index.js';
import { HistoryBuilder } from '../build-history.js';

/** Writes 1, 3, 5, ... on haproxy-rw every 200 ms (acknowledged 10 ms after each), and reads on haproxy-ro seeing `seen`. */
function history(reads: [at: number, seen: number | null][]): HistoryBuilder {
  const h = new HistoryBuilder();
  for (let i = 0; i < 10; i++) h.op('haproxy-rw', 'write', 2 * i + 1, i * 200, 10, 'ok');
  for (const [i, [at, seen]] of reads.entries()) h.op('haproxy-ro', 'read', i + 1, at, 5, 'ok', { of: 'haproxy-rw', seen });
  return h;
}

t.test('staleness: the age of the oldest acknowledged write a read missed, when it was sent', async (t) => {
  // At 650 ms rows 1, 3, 5, 7 are acknowledged (at 10, 210, 410, 610).
  const reads = staleReads(
    history([
      [650, 7],
      [650, 3],
      [650, null],
      [5, null],
    ]).build(),
  );
  // In the order they were sent: the read at 5 ms first (nothing acknowledged yet).
  t.same(
    reads.map((r) => [r.writesBehind, r.staleMs]),
    [
      [0, 0],
      [0, 0],
      [2, 240],
      [4, 640],
    ],
  );
});

t.test('without max: reported, never failed', async (t) => {
  const r = replicaStaleness.run(
    history([
      [650, 7],
      [650, 3],
    ]).build(),
    {},
  );
  t.equal(r.status, 'pass', r.summary);
  t.equal(r.figures.maxStaleMs, 240);
  t.equal(r.figures.staleReads, 1);
  t.equal(r.figures.maxWritesBehind, 2);
  t.equal(r.figures.boundMs, null);
  t.match(r.evidence.join('\n'), /no bound set/);
});

t.test('with max: fails above it, passes within; the bound may use the timings', async (t) => {
  const h = history([[650, 3]]).build();
  t.equal(replicaStaleness.run(h, { max: '200ms' }).status, 'fail');
  t.equal(replicaStaleness.run(h, { max: '250ms' }).status, 'pass');
  // TIMINGS: loop_wait 10 s.
  const r = replicaStaleness.run(h, { max: 'loop_wait' });
  t.equal(r.status, 'pass');
  t.equal(r.figures.boundMs, 10_000);
});

t.test('no answered read on the read-only path: unknown; it runs unnamed only when a reader ran', async (t) => {
  const noReads = history([]).build();
  t.equal(replicaStaleness.run(noReads, {}).status, 'unknown');
  t.notOk(runChecks(noReads, []).some((c) => c.name === 'replica-staleness'));
  t.ok(runChecks(history([[650, 7]]).build(), []).some((c) => c.name === 'replica-staleness' && c.status === 'pass'));
});
