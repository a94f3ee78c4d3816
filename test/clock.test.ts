import t from 'tap';
import { formatSeconds, systemClock, waitUntil, WaitTimeoutError } from '../lab/clock.js';
import { FakeClock } from './fake-clock.js';

t.test('waitUntil returns the first ok value', async (t) => {
  const clock = new FakeClock();
  let calls = 0;
  const value = await clock.run(
    waitUntil(async () => (++calls >= 3 ? { ok: true, value: 'done' } : { ok: false, reason: `try ${calls}` }), {
      what: 'x',
      timeoutMs: 5000,
      intervalMs: 10,
      clock,
    }),
    10,
  );
  t.equal(value, 'done');
  t.equal(calls, 3);
  t.equal(clock.now(), 20, 'two intervals slept');
});

t.test('waitUntil ends at its deadline with the last reason, after a bounded number of looks', async (t) => {
  const clock = new FakeClock();
  let calls = 0;
  const err = await clock
    .run(
      waitUntil(async () => ({ ok: false, reason: `still starting (${++calls})` }), {
        what: 'the thing',
        timeoutMs: 200,
        intervalMs: 50,
        clock,
      }),
      10,
    )
    .catch((e: unknown) => e);
  t.type(err, WaitTimeoutError);
  t.match((err as Error).message, 'timed out after 0.2 s waiting for the thing: still starting (5)');
  t.equal(calls, 5, 'looks at 0, 50, 100, 150 and 200 ms');
  t.equal(clock.now() <= 210, true, 'returns at the deadline');
});

t.test('a probe that throws is "not yet" unless fatal says otherwise', async (t) => {
  const clock = new FakeClock();
  const thrown = await clock
    .run(
      waitUntil(async () => Promise.reject(new Error('connection refused')), {
        what: 'y',
        timeoutMs: 100,
        intervalMs: 20,
        clock,
      }),
    )
    .catch((e: unknown) => e);
  t.type(thrown, WaitTimeoutError);
  t.match((thrown as Error).message, /connection refused/, 'its error is the reason reported');
  let calls = 0;
  const fatal = await clock
    .run(
      waitUntil(async () => (++calls, Promise.reject(new TypeError('bad'))), {
        what: 'z',
        timeoutMs: 1000,
        intervalMs: 20,
        clock,
        fatal: (e) => e instanceof TypeError,
      }),
    )
    .catch((e: unknown) => e);
  t.type(fatal, TypeError, 'a fatal error passes through');
  t.equal(calls, 1, 'at once');
});

t.test('an abort ends the wait at once, with the signal reason', async (t) => {
  const controller = new AbortController();
  const clock = new FakeClock();
  const wait = waitUntil(async () => ({ ok: false, reason: 'no' }), {
    what: 'z',
    timeoutMs: 60_000,
    intervalMs: 1000,
    signal: controller.signal,
    clock,
  }).catch((e: unknown) => e);
  await clock.advance(1500);
  controller.abort(new Error('stop'));
  t.match(((await wait) as Error).message, 'stop');
  t.equal(clock.now(), 1500, 'no more simulated time needed');
});

t.test('the system clock sleeps for real and is abortable', async (t) => {
  const before = systemClock.now();
  await systemClock.sleep(20);
  t.ok(systemClock.now() - before >= 15, 'slept');
  const controller = new AbortController();
  const sleeping = systemClock.sleep(60_000, controller.signal).catch((e: unknown) => e);
  controller.abort(new Error('woken'));
  t.match(((await sleeping) as Error).message, 'woken');
});

t.test('formatSeconds shows one decimal, or as many as asked, and n/a for an unknown duration', async (t) => {
  t.equal(formatSeconds(1234), '1.2 s');
  t.equal(formatSeconds(123, 2), '0.12 s');
  t.equal(formatSeconds(null), 'n/a');
});
