/**
 * How long the built `lab` takes from process start to exit when it stops at once: what every command
 * pays before its work. `status` on a missing lab and `generate` on a missing lab.yaml fail at the
 * first file they read, before loading their command's stack; `--version` loads no command. `status`
 * beside a lab.yaml but no generated lab also parses lab.yaml (yaml and TypeBox), as every command on
 * a real lab does. Node's own start, timed alongside, says how loaded the machine was.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The target for each of them, on an idle machine where Node itself starts in about 0.06 s. */
export const STARTUP_TARGET_S = 0.15;

const CLI = fileURLToPath(new URL('../lab/cli.js', import.meta.url));

/** The directory, under the bench's empty one, that holds a lab.yaml (`lab init`'s) and no generated lab. */
const WITH_SPEC = 'with-spec';

/**
 * Each case's node arguments, where it runs (the empty directory, or WITH_SPEC under it) and the exit
 * code that shows it took the path meant; Node alone is the yardstick for a loaded machine.
 */
const CASES = {
  statusS: { args: [CLI, 'status'], in: '.', exitCode: 3 },
  generateS: { args: [CLI, 'generate'], in: '.', exitCode: 3 },
  versionS: { args: [CLI, '--version'], in: '.', exitCode: 0 },
  statusWithSpecS: { args: [CLI, 'status'], in: WITH_SPEC, exitCode: 3 },
  nodeS: { args: ['-e', ''], in: '.', exitCode: 0 },
} as const;

export type StartupFigures = Record<keyof typeof CASES, number>;

/** Median of `runs` timed runs of each, in seconds; the cases take turns, so a drift of the machine's speed reaches all of them. */
export async function benchStartup(runs = 5): Promise<StartupFigures> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'pgha-lab-bench-startup-'));
  const times = Object.fromEntries(Object.keys(CASES).map((name) => [name, [] as number[]])) as Record<
    keyof typeof CASES,
    number[]
  >;
  try {
    await mkdir(path.join(cwd, WITH_SPEC));
    await execa('node', [CLI, 'init'], { cwd: path.join(cwd, WITH_SPEC), timeout: 30_000 });
    for (let i = 0; i < runs; i++) {
      for (const [name, { args, in: where, exitCode }] of Object.entries(CASES) as [
        keyof typeof CASES,
        (typeof CASES)[keyof typeof CASES],
      ][]) {
        const started = performance.now();
        const r = await execa('node', args, { cwd: path.join(cwd, where), reject: false, timeout: 30_000 });
        times[name].push((performance.now() - started) / 1000);
        if (r.exitCode !== exitCode)
          throw new Error(
            `node ${args.join(' ')} in ${path.join(cwd, where)} exited ${r.exitCode}, not ${exitCode}: ${r.stderr}`,
          );
      }
    }
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! * 1000) / 1000;
  return Object.fromEntries(Object.entries(times).map(([name, xs]) => [name, median(xs)])) as StartupFigures;
}
