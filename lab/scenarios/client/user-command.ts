/**
 * The user's own command during a scenario (`lab scenario NAME --workload 'CMD'`): `bash -c CMD` (CI
 * engineers write bash: `$SECONDS`, arrays, `[[`) with `lab env`'s settings and default client
 * timeouts in its environment, its output streamed line by line as it comes, started with the
 * clients and ended with them. It may run
 * on after the steps for a grace period; then, or at once when the run is interrupted (Ctrl-C), its
 * whole process group gets SIGTERM and, if it is still there 5 s later, SIGKILL (at once when lab
 * itself exits, after a second Ctrl-C). Its start and end
 * (exit status, duration, the last lines it printed) go into the History; the workload-command
 * check judges them.
 */
import { execa } from 'execa';
import type { CommandEvent, HistoryRecorder } from '../history/history.js';

/** How long a command has to end after SIGTERM before SIGKILL. */
const TERM_GRACE_MS = 5000;
const TAIL_LINES = 20;
const LINE_CHARS = 300;

/**
 * Client timeouts a workload gets unless the user's own environment sets them: without them a psql
 * started as the primary goes away can wait for minutes, and the scenario then ends it as hung.
 * PgBouncer ignores PGOPTIONS (its ignore_startup_parameters), so through it only the connect
 * timeout applies. docs/entry-points.md says so.
 */
export const WORKLOAD_TIMEOUTS: Readonly<Record<string, string>> = {
  PGCONNECT_TIMEOUT: '5',
  PGOPTIONS: '-c statement_timeout=10s',
};

/** The default timeouts the user's environment does not set already. Pure. */
export function defaultTimeouts(own: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(WORKLOAD_TIMEOUTS).filter(([k]) => own[k] === undefined));
}

/** Whole lines out of a stream of output chunks; a line with no newline for ever (a progress bar) is still bounded. */
export class LineBuffer {
  private partial = '';

  /** The lines this chunk completes. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > LINE_CHARS * 4) this.partial = this.partial.slice(-LINE_CHARS * 4);
    return parts;
  }

  /** The unfinished line, if any. */
  get rest(): string {
    return this.partial;
  }
}

/** The last lines of a stream of output chunks, each cut to a readable length. */
export class OutputTail {
  private lines: string[] = [];

  /** `buffer` splits the chunks; pass one shared with another reader of the same stream. */
  constructor(
    private readonly keep = TAIL_LINES,
    private readonly buffer = new LineBuffer(),
  ) {}

  push(chunk: string): void {
    this.pushLines(this.buffer.push(chunk));
  }

  /** Lines already split (by a LineBuffer the caller shares). */
  pushLines(lines: readonly string[]): void {
    this.lines.push(...lines);
    if (this.lines.length > this.keep) this.lines = this.lines.slice(-this.keep);
  }

  /** The kept lines, the unfinished one included. */
  get(): string[] {
    const all = this.buffer.rest ? [...this.lines, this.buffer.rest] : this.lines;
    return all.slice(-this.keep).map((l) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}...` : l));
  }
}

export interface UserCommandOptions {
  command: string;
  /** Added to lab's own environment. */
  env: Record<string, string>;
  /** How long it may run on after the scenario's steps. */
  graceMs: number;
  /** Each line it prints, as it prints it. */
  onLine?: (line: string) => void;
}

export class UserCommand {
  private done: Promise<void> | undefined;
  private pid: number | undefined;
  private running = false;
  private killed: CommandEvent['killed'];

  constructor(
    private readonly recorder: HistoryRecorder,
    private readonly o: UserCommandOptions,
  ) {}

  start(): void {
    const { command } = this.o;
    const lines = new LineBuffer();
    const tail = new OutputTail(TAIL_LINES, lines);
    const startedAt = this.recorder.now();
    this.recorder.record<CommandEvent>({ kind: 'command', phase: 'start', command });
    // Its own process group, so the end of the scenario reaches every process it started.
    const child = execa('bash', ['-c', command], {
      env: { ...defaultTimeouts(process.env), ...this.o.env },
      stdin: 'ignore',
      all: true,
      buffer: false,
      reject: false,
      detached: true,
    });
    this.pid = child.pid;
    this.running = true;
    // A second Ctrl-C makes lab exit at once: its group must not outlive it.
    const onExit = (): void => this.signal('SIGKILL');
    process.once('exit', onExit);
    child.all?.setEncoding('utf8');
    child.all?.on('data', (chunk: string) => {
      const complete = lines.push(chunk);
      tail.pushLines(complete);
      for (const line of complete) this.o.onLine?.(line);
    });
    this.done = child.then((r) => {
      this.running = false;
      process.off('exit', onExit);
      this.recorder.record<CommandEvent>({
        kind: 'command',
        phase: 'end',
        command,
        exitCode: r.exitCode ?? null,
        ...(r.signal ? { signal: r.signal } : {}),
        durationMs: this.recorder.now() - startedAt,
        tail: [...tail.get(), ...(r.failed && r.exitCode === undefined && !r.signal ? [String(r.message)] : [])],
        ...(this.killed ? { killed: this.killed } : {}),
      });
    });
  }

  /** After the steps: waits up to the grace period (none when interrupted), then ends it; resolves once its end is recorded. */
  async stop(interrupted: boolean): Promise<void> {
    if (!this.done) return;
    if (!interrupted) await this.within(this.o.graceMs);
    if (this.running) {
      this.killed = interrupted ? 'interrupted' : 'scenario-end';
      this.signal('SIGTERM');
      await this.within(TERM_GRACE_MS);
      if (this.running) this.signal('SIGKILL');
    }
    await this.done;
  }

  /** Resolves when the command ends or `ms` have passed, whichever comes first. */
  private async within(ms: number): Promise<void> {
    const stop = new AbortController();
    await Promise.race([this.done, this.recorder.clock.sleep(ms, stop.signal).catch(() => undefined)]);
    stop.abort();
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is gone already.
    }
  }
}
