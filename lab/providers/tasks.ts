/**
 * Named, timed tasks: each emits start/ok/fail events for the progress display and keeps its full
 * output in `<lab dir>/logs/<node>/<task>.log`, so a failure can show its tail and say where the rest is.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InterruptedError, LabError } from '../errors.js';
import type { ExecResult, ProgressListener } from './provider.js';

export class TaskFailedError extends LabError {
  constructor(
    readonly node: string | null,
    readonly task: string,
    detail: string,
    /** The tail of the task's output, shown by the progress display. */
    readonly output: string,
    readonly logFile?: string,
  ) {
    super(`${node ? `${node}: ` : ''}${task} failed: ${detail}`, undefined, logFile ? `full output: ${logFile}` : undefined);
  }
}

export function logFileFor(labDir: string, node: string | null, task: string): string {
  return path.join(labDir, 'logs', node ?? 'lab', `${task.replace(/[^\w.-]+/g, '-')}.log`);
}

export async function openLog(file: string): Promise<WriteStream> {
  await mkdir(path.dirname(file), { recursive: true });
  return createWriteStream(file, { flags: 'w' });
}

const closeLog = (log: WriteStream): Promise<void> => new Promise((resolve) => log.end(resolve));

/** The last lines of a task's output: what a user needs first when it fails. */
export function tail(text: string, lines = 30): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}

/** Runs fn as a task, timing it and reporting start/ok/fail; fn's errors pass through unchanged. */
export async function task<T>(
  onProgress: ProgressListener | undefined,
  node: string | null,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  onProgress?.({ node, task: name, status: 'start' });
  try {
    const result = await fn();
    onProgress?.({ node, task: name, status: 'ok', elapsedMs: Date.now() - started });
    return result;
  } catch (e) {
    const output =
      e instanceof TaskFailedError
        ? e.output
        : e instanceof InterruptedError
          ? 'interrupted'
          : e instanceof Error
            ? e.message
            : String(e);
    onProgress?.({ node, task: name, status: 'fail', elapsedMs: Date.now() - started, output });
    throw e;
  }
}

/**
 * A task that is one command in a node: its output (stdout and stderr interleaved) goes to the
 * task's log file; a non-zero exit becomes a TaskFailedError with the log's tail and path.
 */
export function commandTask(
  labDir: string,
  onProgress: ProgressListener | undefined,
  node: string | null,
  name: string,
  run: (log: WriteStream) => Promise<ExecResult>,
): Promise<void> {
  return task(onProgress, node, name, async () => {
    const file = logFileFor(labDir, node, name);
    const log = await openLog(file);
    let result: ExecResult;
    try {
      result = await run(log);
    } finally {
      await closeLog(log);
    }
    if (result.exitCode !== 0) {
      const output = `${tail(await readFile(file, 'utf8'))}\n(full output: ${file})`;
      throw new TaskFailedError(node, name, `exit code ${result.exitCode}`, output, file);
    }
  });
}
