/**
 * Commands inside a container through the Docker exec API: output collected (and optionally
 * teed to a log), a hard time bound on every call, and a non-zero exit reported, not thrown.
 */
import { PassThrough, type Writable } from 'node:stream';
import type Docker from 'dockerode';
import { LabError } from '../../errors.js';
import type { ExecResult } from '../provider.js';
import { describeError } from './client.js';

export interface DockerExecOptions {
  timeoutMs?: number;
  input?: string;
  signal?: AbortSignal;
  /** Receives stdout and stderr as they arrive (provisioning logs). */
  tee?: Writable;
}

const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** What coreutils `timeout` returns; used for the host-side bound too, so callers see one code. */
const TIMED_OUT_EXIT = 124;

export async function dockerExec(
  container: Docker.Container,
  argv: string[],
  options: DockerExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  options.signal?.throwIfAborted();
  let exec: Docker.Exec;
  try {
    exec = await container.exec({
      // coreutils `timeout` ends the process inside the node too, so a hung command does not linger.
      Cmd: ['timeout', '--kill-after=5', `${Math.ceil(timeoutMs / 1000)}s`, ...argv],
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: options.input !== undefined,
      abortSignal: options.signal,
    });
  } catch (e) {
    options.signal?.throwIfAborted();
    throw new LabError(
      `cannot run ${argv[0] ?? 'a command'} in container ${container.id.slice(0, 12)}: ${describeError(e)}`,
      undefined,
      'is the lab up? see `lab status`',
    );
  }
  const stream = await exec.start({ hijack: true, stdin: options.input !== undefined, abortSignal: options.signal });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => {
    out.push(chunk);
    options.tee?.write(chunk);
  });
  stderr.on('data', (chunk: Buffer) => {
    err.push(chunk);
    options.tee?.write(chunk);
  });
  container.modem.demuxStream(stream, stdout, stderr);
  if (options.input !== undefined) stream.end(options.input);

  // A host-side bound as well, a little later than the in-node one: the stream itself may hang.
  const outcome = await new Promise<'done' | 'timeout' | 'aborted'>((resolve, reject) => {
    const timer = setTimeout(() => finish('timeout'), timeoutMs + 10_000);
    const onAbort = (): void => finish('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    function finish(result: 'done' | 'timeout' | 'aborted' | Error): void {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (result !== 'done') stream.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    }
    stream.on('end', () => finish('done'));
    stream.on('close', () => finish('done'));
    stream.on('error', (e: Error) => finish(options.signal?.aborted ? 'aborted' : e));
  });
  if (outcome === 'aborted') throw options.signal?.reason ?? new Error('aborted');
  const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString('utf8');
  if (outcome === 'timeout') {
    return {
      exitCode: TIMED_OUT_EXIT,
      stdout: text(out),
      stderr: `${text(err)}\n(lab: gave up after ${Math.round(timeoutMs / 1000)} s)\n`,
    };
  }
  return { exitCode: await execExitCode(exec), stdout: text(out), stderr: text(err) };
}

/** The stream can end a moment before the engine records the exit code: poll briefly. */
export async function execExitCode(exec: Docker.Exec): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  return -1;
}
