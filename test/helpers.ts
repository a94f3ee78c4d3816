/** Shared test helpers: the compiled CLI (tests run after `npm run build`), temp dirs, host tools. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { main } from '../lab/main.js';
import { packageRoot } from '../lab/render/package-files.js';

/** The checkout (the tests run compiled, from dist/test/): its sources, fixtures and goldens. */
export const ROOT = packageRoot();
export const CLI = path.join(ROOT, 'dist/lab/cli.js');

/** A new temporary directory, removed when the test `t` ends. */
export async function tempDir(t: { teardown(fn: () => unknown): void }, prefix = 'pgha-lab-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `lab ARGS` in this process, through `main` as the executable runs it (yargs, the command, typed errors
 * turned into an exit code): its exit code and what it wrote. Without a node start-up per call, which
 * cost CI about 2 CPU-seconds each. One at a time: stdout and stderr are the process's own. Output
 * as runLab gives it (execa's): without its last newline.
 */
export async function runMain(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((s) => s.write);
  const said = ['', ''];
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array) => ((said[i] += String(chunk)), true)) as typeof stream.write;
  });
  // A command reports failure in process.exitCode (main returns it): the test process's own must not
  // leak into the command's, nor the command's into the test process's.
  const ownExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const exitCode = await main(args);
    return { exitCode, stdout: said[0]!.replace(/\n$/, ''), stderr: said[1]!.replace(/\n$/, '') };
  } finally {
    for (const [i, stream] of streams.entries()) stream.write = writes[i]!;
    process.exitCode = ownExitCode;
  }
}

/**
 * Runs `lab ARGS` as a user would, the built executable in a process of its own; never throws on a
 * non-zero exit. Without tap's NODE_OPTIONS: tap puts its process tracker (@tapjs/processinfo, a
 * module loader on a thread of its own) into every node process a test starts, even one given an
 * env without it, and it serves only coverage, which is off. A `lab` start cost 2.4 to 3 CPU-seconds
 * with it, 1.1 without. `env` execs node, so signals sent to the child reach `lab` itself.
 * options.env adds to the test's environment (DOCKER_HOST: a lab on another engine); options.input is its stdin.
 */
export function runLab(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string>; input?: string } = {},
) {
  return execa('env', ['-u', 'NODE_OPTIONS', 'node', CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    env: { NO_COLOR: '1', ...options.env },
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** The one list of external tools (with their Debian packages) and the script that installs them. */
export const HOST_SETUP = path.join(ROOT, 'scripts/host-setup.sh');

/** The named tools scripts/host-setup.sh does not find here; throws for a tool not in its table. */
export function missingTools(tools: string[]): string[] {
  const r = spawnSync('bash', [HOST_SETUP, '--check', ...tools], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 2) throw new Error(r.stderr.trim());
  return [...r.stdout.matchAll(/^(\S+)\s+MISSING$/gm)].map((m) => m[1]!);
}

/**
 * tap options for a test that runs these tools: skipped where one is missing on a developer's
 * machine; in CI a missing tool is a failure, since scripts/host-setup.sh must have installed it.
 */
export function requireTools(...tools: string[]): { skip: string | false } {
  const missing = missingTools(tools);
  if (missing.length === 0) return { skip: false };
  if (process.env.CI) throw new Error(`${missing.join(', ')} not installed: CI must install it (scripts/host-setup.sh)`);
  return { skip: `${missing.join(', ')} not installed` };
}
