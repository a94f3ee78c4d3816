/**
 * Simulated time for unit tests of waits and the engine: sleep() resolves when the test advances the
 * clock past its wake-up time, so seconds of waiting take no real time and no test depends on timing.
 */
import type { Clock } from '../lab/clock.js';

export class FakeClock implements Clock {
  private t = 0;
  private sleepers: { at: number; resolve: () => void }[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      // Woken sleepers let go of the signal: a loop sleeping on one long-lived signal must not pile up listeners.
      const sleeper = { at: this.t + ms, resolve: () => (signal?.removeEventListener('abort', onAbort), resolve()) };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time on by ms, waking every sleeper due on the way (in order), and lets their continuations run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const next = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = next.at;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.resolve();
    }
    this.t = end;
    await flush();
  }

  /** Advances in steps until the promise settles (bounded: a runaway loop fails the test instead of hanging it). */
  async run<T>(promise: Promise<T>, stepMs = 100, maxMs = 3_600_000): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (let spent = 0; !settled && spent <= maxMs; spent += stepMs) await this.advance(stepMs);
    if (!settled) throw new Error(`still pending after ${maxMs} ms of simulated time`);
    return watched;
  }
}

/** Lets every already-queued promise continuation (and the ones they queue) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
