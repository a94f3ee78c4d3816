/** Shared test helpers: the compiled CLI (tests run after `npm run build`) and temp dirs. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = path.join(ROOT, 'dist/lab/cli.js');

export function tempDir(prefix = 'pgha-lab-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** Runs `lab ARGS` as a user would; never throws on a non-zero exit. */
export function runLab(args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  return execa('node', [CLI, ...args], { cwd: options.cwd ?? ROOT, reject: false, timeout: options.timeoutMs ?? 60_000, env: { NO_COLOR: '1' } });
}
