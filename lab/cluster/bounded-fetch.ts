/** fetch with a deadline on refTimeout (clock.ts says why not AbortSignal.timeout), read within it. */
import { refTimeout } from '../clock.js';

export async function boundedFetch<T>(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  read: (r: Response) => Promise<T>,
): Promise<T> {
  const timeout = refTimeout(timeoutMs, signal);
  try {
    return await read(await fetch(url, { ...init, signal: timeout.signal }));
  } finally {
    timeout.clear();
  }
}
