/**
 * The user's own command during a scenario (`lab scenario NAME --workload 'CMD'`): `sh -c CMD` with
 * `lab env`'s settings in its environment, started with the clients and ended with them. It may run
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

/** The last lines of a stream of output chunks, each cut to a readable length. */
export class OutputTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly keep = TAIL_LINES) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    // A line with no newline for ever (a progress bar) is still bounded.
    if (this.partial.length > LINE_CHARS * 4) this.partial = this.partial.slice(-LINE_CHARS * 4);
    this.lines.push(...parts);
    if (this.lines.length > this.keep) this.lines = this.lines.slice(-this.keep);
  }

  /** The kept lines, the unfinished one included. */
  get(): string[] {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-this.keep).map((l) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}...` : l));
  }
}

export interface UserCommandOptions {
  command: string;
  /** Added to lab's own environment. */
  env: Record<string, string>;
  /** How long it may run on after the scenario's steps. */
  graceMs: number;
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
    const tail = new OutputTail();
    const startedAt = this.recorder.now();
    this.recorder.record<CommandEvent>({ kind: 'command', phase: 'start', command });
    // Its own process group, so the end of the scenario reaches every process it started.
    const child = execa('sh', ['-c', command], {
      env: this.o.env,
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
    child.all?.on('data', (chunk: string) => tail.push(chunk));
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
