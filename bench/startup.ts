/**
 * How long the built `lab` takes from process start to exit when it stops at once: what every command
 * pays before its work. `status` on a missing lab and `generate` on a missing lab.yaml load their
 * command's stack and fail at the first file they read; `--version` loads no command. Node's own
 * start, timed alongside, says how loaded the machine was.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The target for each of them, on an idle machine where Node itself starts in about 0.06 s. */
export const STARTUP_TARGET_S = 0.15;

const CLI = fileURLToPath(new URL('../lab/cli.js', import.meta.url));

/** Each case's node arguments and the exit code that shows it took the path meant; Node alone is the yardstick for a loaded machine. */
const CASES = {
  statusS: { args: [CLI, 'status'], exitCode: 3 },
  generateS: { args: [CLI, 'generate'], exitCode: 3 },
  versionS: { args: [CLI, '--version'], exitCode: 0 },
  nodeS: { args: ['-e', ''], exitCode: 0 },
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
    for (let i = 0; i < runs; i++) {
      for (const [name, { args, exitCode }] of Object.entries(CASES) as [
        keyof typeof CASES,
        (typeof CASES)[keyof typeof CASES],
      ][]) {
        const started = performance.now();
        const r = await execa('node', args, { cwd, reject: false, timeout: 30_000 });
        times[name].push((performance.now() - started) / 1000);
        if (r.exitCode !== exitCode)
          throw new Error(`node ${args.join(' ')} in an empty directory exited ${r.exitCode}, not ${exitCode}: ${r.stderr}`);
      }
    }
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! * 1000) / 1000;
  return {
    statusS: median(times.statusS),
    generateS: median(times.generateS),
    versionS: median(times.versionS),
    nodeS: median(times.nodeS),
  };
}
