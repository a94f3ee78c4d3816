/**
 * Time, and the one wait/retry primitive every loop that waits is built on. The clock is injected so
 * the engine and the waits are unit-tested in simulated time; every wait has a deadline, a bound on
 * its attempts that follows from it, and an AbortSignal.
 */
import { LabError } from './errors.js';

/**
 * A signal that aborts after ms (combined with an optional caller's signal), on a timer that keeps
 * the process alive. Not AbortSignal.timeout: its timer is unref'd, and a port that accepts the
 * connection and never answers (docker-proxy of a stopped service, an ssh forward to a node that is
 * still starting) holds no handle either, so Node ended `lab status` and `lab up` under their pending
 * await (exit 13 or 0, no output) instead of timing out. Call clear() once the request is done.
 */
export function refTimeout(ms: number, signal?: AbortSignal): { signal: AbortSignal; clear(): void } {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  return { signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal, clear: () => clearTimeout(timer) };
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after ms; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** One look at what is awaited: done with a value, or not yet and why. */
export type Probe<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface WaitOptions {
  /** Names what is awaited, for the timeout message ("the lab to become healthy"). */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** A probe that throws counts as "not yet" (services refuse connections while they start) unless this says it is fatal. */
  fatal?: (error: unknown) => boolean;
}

export class WaitTimeoutError extends LabError {
  constructor(
    what: string,
    timeoutMs: number,
    readonly lastReason: string,
  ) {
    super(`timed out after ${(timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0)} s waiting for ${what}: ${lastReason}`);
  }
}

/**
 * Polls probe until it reports ok or the deadline passes. At least one look is always taken, and the
 * last one no later than the deadline.
 */
export async function waitUntil<T>(probe: () => Promise<Probe<T>>, options: WaitOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const interval = options.intervalMs ?? 1000;
  const deadline = clock.now() + options.timeoutMs;
  const maxAttempts = Math.ceil(options.timeoutMs / interval) + 1;
  let reason = 'not checked yet';
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const result = await probe();
      if (result.ok) return result.value;
      reason = result.reason;
    } catch (e) {
      options.signal?.throwIfAborted();
      if (options.fatal?.(e)) throw e;
      reason = e instanceof Error ? e.message : String(e);
    }
    const left = deadline - clock.now();
    if (left <= 0) break;
    await clock.sleep(Math.min(interval, left), options.signal);
  }
  throw new WaitTimeoutError(options.what, options.timeoutMs, reason);
}

/** A duration for people: milliseconds as seconds with one decimal ("1.2 s"), or `decimals`; "n/a" when unknown. */
export function formatSeconds(ms: number | null | undefined, decimals = 1): string {
  return ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(decimals)} s`;
}
