/**
 * Running the vagrant CLI in the lab directory: short commands with their output captured, and the
 * long ones (`up`, `provision`) with `--machine-readable` turned into progress tasks and per-task logs
 * (`logs/<node>/<task>.log`, as the Docker provider keeps them). Ctrl-C reaches Vagrant as SIGINT, so
 * it stops the way it does in a terminal, and what it created stays for `lab down`.
 */
import type { WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { ExitCode, LabError, MissingToolError } from '../../errors.js';
import type { ProgressListener } from '../provider.js';
import { logFileFor, openLog, TaskFailedError, tail } from '../tasks.js';
import { parseMachineReadableLine, VagrantProgress, type VagrantEffect } from './machine-readable.js';

/** No update check (a call to HashiCorp, outside the lab) and no colours in what we parse. */
const VAGRANT_ENV = { VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' };
const DEFAULT_TIMEOUT_MS = 120_000;
/** Building, booting and provisioning every machine from scratch takes minutes; bound it all the same. */
const LONG_TIMEOUT_MS = 45 * 60_000;
/**
 * After Ctrl-C Vagrant waits for the command it runs in a machine (a provisioner can take minutes);
 * it is killed after this. What it created stays recorded in .vagrant/ and labelled, for `lab down`.
 */
const CLEANUP_GRACE_MS = 15_000;

const MISSING_VAGRANT = new MissingToolError(
  'vagrant',
  'install Vagrant (Debian/Ubuntu: apt-get install vagrant) and VirtualBox, vagrant-libvirt or Docker, or use --provider docker',
);

export interface VagrantRunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Aborting sends Vagrant one SIGINT, as Ctrl-C in a terminal does, then kills it after the grace
 * period. Vagrant runs in its own process group, so a Ctrl-C on the terminal reaches it only through
 * lab: a second SIGINT would make it quit at once, without its cleanup.
 */
const cancellation = (signal?: AbortSignal) =>
  signal ? { cancelSignal: signal, killSignal: 'SIGINT' as const, forceKillAfterDelay: CLEANUP_GRACE_MS, detached: true } : {};

/** `vagrant ARGS` in dir; its stdout, or a LabError with the tail of what it said. */
export async function vagrant(dir: string, args: string[], options: VagrantRunOptions = {}): Promise<string> {
  const result = await execa('vagrant', args, {
    cwd: dir,
    reject: false,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    env: VAGRANT_ENV,
    ...cancellation(options.signal),
  });
  if ((result as { code?: string }).code === 'ENOENT') throw MISSING_VAGRANT;
  if (options.signal?.aborted) throw options.signal.reason;
  if (result.exitCode !== 0) {
    const said = `${String(result.stderr)}\n${String(result.stdout)}`.trim().split('\n').slice(-8).join('\n');
    throw new LabError(
      `vagrant ${args.join(' ')} failed (exit ${result.exitCode ?? 'none'}): ${said}`,
      ExitCode.infrastructure,
      `see \`cd ${dir} && vagrant ${args[0]}\``,
    );
  }
  return String(result.stdout);
}

/** An interactive `vagrant ARGS` on this terminal; resolves with its exit code. */
export async function vagrantInteractive(dir: string, args: string[]): Promise<number> {
  const result = await execa('vagrant', args, { cwd: dir, stdio: 'inherit', reject: false, env: VAGRANT_ENV });
  if ((result as { code?: string }).code === 'ENOENT') throw MISSING_VAGRANT;
  return result.exitCode ?? 1;
}

export interface ProgressRunOptions extends VagrantRunOptions {
  onProgress?: ProgressListener;
}

/**
 * `vagrant ARGS --machine-readable`, its progress as tasks (per machine: `machine`, then each
 * provisioner) and each task's output in its log. Throws TaskFailedError naming the machine and
 * task that failed, with the log's tail.
 */
export async function vagrantWithProgress(dir: string, args: string[], options: ProgressRunOptions = {}): Promise<void> {
  const progress = new VagrantProgress();
  const logs = new Map<string, TaskLog>();
  const failures: { node: string | null; task: string }[] = [];
  const logOf = (node: string | null, task: string): TaskLog => {
    const key = `${node ?? ''}/${task}`;
    let log = logs.get(key);
    if (!log) {
      log = new TaskLog(logFileFor(dir, node, task));
      logs.set(key, log);
    }
    return log;
  };
  const apply = (effects: VagrantEffect[]): void => {
    for (const effect of effects) {
      if (effect.kind === 'output') {
        logOf(effect.node, effect.task).write(effect.text);
        continue;
      }
      const { event } = effect;
      const log = logOf(event.node, event.task);
      if (event.status === 'fail' && event.output !== 'interrupted') {
        failures.push({ node: event.node, task: event.task });
        options.onProgress?.({ ...event, output: `${tail(`${log.text()}\n${event.output ?? ''}`)}\n(full output: ${log.file})` });
      } else {
        options.onProgress?.(event);
      }
    }
  };

  const child = execa('vagrant', [...args, '--machine-readable'], {
    cwd: dir,
    reject: false,
    timeout: options.timeoutMs ?? LONG_TIMEOUT_MS,
    env: VAGRANT_ENV,
    ...cancellation(options.signal),
  });
  const lines = createInterface({ input: child.stdout! });
  const read = new Promise<void>((resolve) => lines.once('close', resolve));
  lines.on('line', (text) => {
    const line = parseMachineReadableLine(text);
    if (line) apply(progress.feed(line));
  });
  const result = await child;
  await read;
  if ((result as { code?: string }).code === 'ENOENT') throw MISSING_VAGRANT;
  const succeeded = result.exitCode === 0 && !options.signal?.aborted;
  apply(progress.finish(succeeded ? 'ok' : options.signal?.aborted ? 'interrupted' : 'failed'));
  await Promise.all([...logs.values()].map((l) => l.close()));
  if (options.signal?.aborted) throw options.signal.reason;
  if (!succeeded) {
    const first = failures[0];
    const error =
      progress.error || String(result.stderr).trim().split('\n').slice(-5).join('\n') || `exit ${result.exitCode ?? 'none'}`;
    const log = first ? logOf(first.node, first.task) : undefined;
    throw new TaskFailedError(
      first?.node ?? null,
      first?.task ?? `vagrant ${args[0]}`,
      `vagrant ${args.join(' ')} failed: ${error.split('\n')[0]}`,
      tail(`${log?.text() ?? ''}\n${error}`),
      log?.file,
    );
  }
}

/** One task's log file, and its last lines in memory for a failure's report. */
class TaskLog {
  private readonly stream: Promise<WriteStream>;
  private readonly last: string[] = [];

  constructor(readonly file: string) {
    this.stream = openLog(file);
  }

  write(text: string): void {
    this.last.push(...text.split('\n'));
    this.last.splice(0, Math.max(0, this.last.length - 60));
    void this.stream.then((s) => s.write(`${text}\n`));
  }

  text(): string {
    return this.last.join('\n');
  }

  async close(): Promise<void> {
    const stream = await this.stream;
    await new Promise<void>((resolve) => stream.end(resolve));
  }
}
