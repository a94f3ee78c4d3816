/** Bound expressions: the lab's timings, units and arithmetic, and errors a user can act on. */
import t from 'tap';
import { evaluateBound, parseBound } from '../../lab/scenarios/bounds.js';
import { TIMINGS } from './build-history.js';

t.test('evaluates timings, units and arithmetic to milliseconds', async (t) => {
  t.equal(evaluateBound('ttl + loop_wait + 10s', TIMINGS), 50_000);
  t.equal(evaluateBound('2 * retry_timeout', TIMINGS), 20_000);
  t.equal(evaluateBound('(ttl - safety_margin) / 5', TIMINGS), 5_000);
  t.equal(evaluateBound('1500ms', TIMINGS), 1_500);
  t.equal(evaluateBound('2m', TIMINGS), 120_000);
  t.equal(evaluateBound('primary_start_timeout', TIMINGS), 300_000);
});

t.test('rejects what is not a bound, naming the problem', async (t) => {
  t.throws(() => parseBound('ttl + wat'), /unknown name "wat"; expected one of ttl, loop_wait/);
  t.throws(
    () => parseBound('loopWait'),
    /unknown name "loopWait"/,
    "the lab.yaml spelling is not bound syntax: Patroni's names are",
  );
  t.throws(() => parseBound('constructor'), /unknown name "constructor"/);
  t.throws(() => parseBound('ttl +'), /ends too early/);
  t.throws(() => parseBound('ttl ; rm'), /unexpected ";"/);
  t.throws(() => parseBound('(ttl'), /expected "\)"/);
  t.throws(() => parseBound(''), /empty/);
  t.throws(() => parseBound('10x'), /unexpected/);
  t.throws(() => evaluateBound('loop_wait - ttl', TIMINGS), /not a duration/);
});
