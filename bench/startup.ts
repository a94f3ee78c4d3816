/** How long `lab --version` takes from process start to exit: what every command pays before its work. */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** Median of `runs` timed runs of the built CLI, in seconds. */
export async function benchStartup(runs = 5): Promise<number> {
  const cli = fileURLToPath(new URL('../lab/cli.js', import.meta.url));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await execa('node', [cli, '--version'], { timeout: 30_000 });
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]! * 100) / 100;
}
