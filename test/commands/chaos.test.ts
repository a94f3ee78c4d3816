/**
 * `lab chaos` with no lab at all: --dry-run prints the schedule and touches nothing; a bad flag is exit
 * 3. Once through the executable, the rest through `main` in this process (the same command line).
 */
import path from 'node:path';
import t from 'tap';
import { runLab, runMain, tempDir } from '../helpers.js';

/** The lab.yaml and lab directory the command would use, where nothing is. */
const nowhere = (cwd: string): string[] => ['--file', path.join(cwd, 'lab.yaml'), '--dir', path.join(cwd, 'lab')];

t.test('--dry-run: the schedule, the same each time, with no lab anywhere', async (t) => {
  const cwd = await tempDir(t);
  const args = ['chaos', '--seed', '1', '--duration', '3m', '--dry-run'];
  const [a, b] = [await runLab(args, { cwd }), await runMain([...args, ...nowhere(cwd)])];
  t.equal(a.exitCode, 0, a.stderr);
  t.match(a.stdout, /^chaos schedule, seed 1: \d+ fault\(s\) in 180\.0 s\n {2}#1 +30\.0 s {2}\S+/);
  t.equal(b.stdout, a.stdout, 'same seed, same schedule');
  t.notMatch(a.stdout, /History streamed/, 'no run');
});

t.test('a bad flag: exit 3, naming the flag and what it allows', async (t) => {
  const cwd = await tempDir(t);
  for (const [args, message] of [
    [['--duration', '3m'], /--seed: missing; allowed: a whole number/],
    [['--seed', '1', '--duration', 'soon'], /--duration: "soon" is not a duration; allowed: a duration such as/],
    [['--seed', '1', '--duration', '3m', '--interval', '60s..20s'], /--interval: .*allowed: SHORTEST..LONGEST/],
    [
      ['--seed', '1', '--duration', '3m', '--faults', 'nope'],
      /--faults: nope cannot be scheduled; allowed: bandwidth, crash-node/,
    ],
  ] as const) {
    const r = await runMain(['chaos', ...args, '--dry-run', ...nowhere(cwd)]);
    t.equal(r.exitCode, 3, args.join(' '));
    t.match(r.stderr, message);
  }
});
