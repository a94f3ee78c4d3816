/**
 * fetch bounded by a timer that keeps Node's event loop alive. Not AbortSignal.timeout: its timer
 * is unref'd, and a docker-proxy port whose node runs no such service (stopped, or not set up yet,
 * as on a workshop seat at stage packages) accepts the connection and never answers; a command
 * awaiting nothing else was then ended by Node under its unsettled await (exit 13, no output)
 * instead of timing out.
 */
export async function boundedFetch<T>(url: string, init: RequestInit, timeoutMs: number, signal: AbortSignal | undefined, read: (r: Response) => Promise<T>): Promise<T> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal });
    return await read(response);
  } finally {
    clearTimeout(timer);
  }
}
