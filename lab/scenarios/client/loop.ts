import type { Clock } from '../../clock.js';

/** A bounded background loop: one iteration at a time, at most every `periodMs` on `clock`, until stopped. */
export class BackgroundLoop {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly periodMs: number,
    private readonly iteration: () => Promise<void>,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const started = this.clock.now();
      try {
        await this.iteration();
      } catch {
        // An iteration records its own failures; the loop must outlive any one of them.
      }
      const rest = this.periodMs - (this.clock.now() - started);
      // stop() aborts the sleep, so a stopped loop does not sit out its period.
      if (rest > 0) await this.clock.sleep(rest, signal).catch(() => undefined);
    }
  }

  /** Stops after the current iteration (each is bounded by its own timeouts). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }
}
