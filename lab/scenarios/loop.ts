/** A bounded background loop: one iteration at a time, at most every `periodMs`, until stopped. */
export class BackgroundLoop {
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly periodMs: number,
    private readonly iteration: () => Promise<void>,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      try {
        await this.iteration();
      } catch {
        // An iteration records its own failures; the loop must outlive any one of them.
      }
      const rest = this.periodMs - (Date.now() - started);
      if (rest > 0 && !this.stopped) await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, rest);
      });
    }
  }

  /** Stops after the current iteration (each is bounded by its own timeouts). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }
}
