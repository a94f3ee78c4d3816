/**
 * CI's wall time on this machine, cold beside warm: `.ci/run` in a fresh clone of HEAD, which starts
 * from a new machine's Docker state (scripts/cold-start.sh removes every image and object of the
 * project's), then the README's test command in the same clone with everything the first run built
 * still cached. The difference is what a job pays when it does not cache the images (docs/ci.md).
 * It removes the project's images: run it alone, never beside labs in use.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../lab/render/package-files.js';

export interface CiRun {
  seconds: number;
  /** tap's closing counts, e.g. "4804 of 4804 passed"; undefined when tap printed none. */
  tests: string | undefined;
  exitCode: number;
}

export interface CiFigures {
  cold: CiRun;
  warm: CiRun;
}

/** CI's own hard limit; a run is stopped there, so the bench cannot hang. */
const CI_LIMIT_MS = 90 * 60_000;

/** tap's summary line ("# { total: 4804, pass: 4804 }" or "# { total: 4804, pass: 4800, fail: 4 }") as words. */
export function tapCounts(output: string): string | undefined {
  const lines = [...output.matchAll(/^# \{ total: (\d+), pass: (\d+)(?:, fail: (\d+))?/gm)];
  const last = lines.at(-1);
  if (last === undefined) return undefined;
  return `${last[2]} of ${last[1]} passed`;
}

async function timed(clone: string, command: string, log: (line: string) => void): Promise<CiRun> {
  log(`bench ci: ${command} (in ${clone})`);
  const started = Date.now();
  const run = await execa('bash', ['-c', command], {
    cwd: clone,
    env: { CI: 'true' },
    all: true,
    reject: false,
    timeout: CI_LIMIT_MS,
  });
  return { seconds: (Date.now() - started) / 1000, tests: tapCounts(run.all ?? ''), exitCode: run.exitCode ?? 2 };
}

export async function benchCi(opts: { log: (line: string) => void }): Promise<CiFigures> {
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-bench-ci-'));
  const clone = path.join(work, 'fresh');
  try {
    await execa('git', ['clone', '--quiet', packageRoot(), clone]);
    const cold = await timed(clone, 'bash .ci/run', opts.log);
    // The README's test command: .ci/run without the cold start.
    const warm = await timed(clone, 'bash scripts/host-setup.sh && npm ci --no-audit --no-fund && npm test', opts.log);
    return { cold, warm };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function formatCiBench(f: CiFigures): string {
  const line = (name: string, r: CiRun) =>
    `${name}  ${(r.seconds / 60).toFixed(1).padStart(5)} min  ${r.exitCode === 0 ? 'green' : `exit ${r.exitCode}`}, ${r.tests ?? 'no tap summary'}\n`;
  return (
    line('CI cold (.ci/run in a fresh clone, no image cached)   ', f.cold) +
    line('CI warm (npm test in that clone, every image cached)  ', f.warm)
  );
}
