/**
 * Properties of the checker over generated histories (fast-check: it shrinks a failing history to a
 * small one, which hand-rolled random loops do not): a serial execution is never flagged, even
 * against strict serializability; one planted stale read or aborted read always is.
 */
import fc from 'fast-check';
import t from 'tap';
import { serialHistory, type TxnPlan } from '../../../../bench/anomalies.js';
import { analyse } from '../../../../lab/scenarios/checks/anomalies/analyse.js';
import type { History, TxnEvent } from '../../../../lab/scenarios/history/history.js';

const plans: fc.Arbitrary<TxnPlan[]> = fc.array(
  fc.record({
    process: fc.nat(4),
    ops: fc.array(fc.oneof(fc.record({ append: fc.nat(3) }), fc.record({ read: fc.nat(3) })), { minLength: 1, maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 30 },
);

const completions = (h: History): TxnEvent[] => h.events.filter((e): e is TxnEvent => e.kind === 'txn' && e.phase === 'ok');

/** Who appended each value of each key: "key/value" -> the completion's position among completions. */
function appenders(done: readonly TxnEvent[]): Map<string, number> {
  const by = new Map<string, number>();
  done.forEach((e, i) => {
    for (const op of e.ops) if (op[0] === 'append') by.set(`${op[1]}/${op[2]}`, i);
  });
  return by;
}

t.test('a serial execution has no anomaly, whatever the model', async (t) => {
  fc.assert(
    fc.property(plans, (p) => {
      const found = analyse(serialHistory(p), 'strict-serializable').anomalies;
      return found.length === 0;
    }),
    { numRuns: 300 },
  );
  t.pass('300 serial histories, none flagged');
});

t.test('a read that misses an append another transaction completed before it is always flagged', async (t) => {
  fc.assert(
    fc.property(plans, fc.nat(), (p, pick) => {
      const h = serialHistory(p);
      const done = completions(h);
      const by = appenders(done);
      // Reads whose last value another (so earlier) transaction appended.
      const stale = done.flatMap((e, i) =>
        e.ops.flatMap((op, j) => {
          const last = op[0] === 'r' ? op[2]?.[op[2].length - 1] : undefined;
          return last !== undefined && by.get(`${op[1]}/${last}`) !== i ? [[e, j] as const] : [];
        }),
      );
      fc.pre(stale.length > 0);
      const [e, j] = stale[pick % stale.length]!;
      const op = e.ops[j] as ['r', number, number[]];
      e.ops[j] = ['r', op[1], op[2].slice(0, -1)];
      return analyse(h, 'strict-serializable').anomalies.length > 0;
    }),
    { numRuns: 300 },
  );
  t.pass('300 planted stale reads, each flagged');
});

t.test('a read of an append whose transaction is then recorded as failed is always G1a', async (t) => {
  fc.assert(
    fc.property(plans, fc.nat(), (p, pick) => {
      const h = serialHistory(p);
      const done = completions(h);
      const by = appenders(done);
      const read = new Set(
        done.flatMap((e, i) =>
          e.ops.flatMap((op) => (op[0] === 'r' ? (op[2] ?? []).map((v) => by.get(`${op[1]}/${v}`)).filter((w) => w !== i) : [])),
        ),
      );
      fc.pre(read.size > 0);
      const victim = done[[...read][pick % read.size]!]!;
      victim.phase = 'fail';
      return analyse(h, 'read-committed').anomalies.some((a) => a.name === 'G1a');
    }),
    { numRuns: 300 },
  );
  t.pass('300 planted aborted reads, each G1a');
});
