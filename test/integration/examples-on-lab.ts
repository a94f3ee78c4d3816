/**
 * The README's and docs' `lab …` examples claimed for the Docker half's shared lab
 * (test/docs/example-claims.ts, `docker-lab`), run on it as a user types them, with the lab's
 * --file and --dir: each must exit as claimed and show what its claim says. None of them changes the
 * lab (the claims that would, `lab down` and faults, run where the claims say), so the suite after
 * it meets the lab as it was. Run by docker.ts on its healthy lab.
 */
import type { Test } from 'tap';
import { CLAIMS } from '../docs/example-claims.js';
import { argvOf } from '../docs/examples.js';
import { runLabIn, type TestLab } from './docker-harness.js';

export async function examplesOnLab(t: Test, lab: TestLab): Promise<void> {
  const file = `${lab.work}/lab.yaml`;
  for (const [command, claim] of Object.entries(CLAIMS)) {
    if (claim.on !== 'docker-lab') continue;
    const args = claim.run ?? argvOf(command);
    // psql and a shell without a terminal read their commands on stdin, as from a pipe.
    const run = await runLabIn(lab.work, file, lab.ctx.dir, args, 120_000, claim.input ?? '');
    const output = `${run.stdout}\n${run.stderr}`;
    const exitCode = claim.exitCode ?? 0;
    const as = claim.run ? ` (as lab ${args.join(' ')})` : '';
    t.equal(
      run.exitCode,
      exitCode,
      `${command}${as} exits ${exitCode}${run.exitCode === exitCode ? '' : `: ${output.slice(-2000)}`}`,
    );
    t.match(output, claim.shows, `${command}${as} shows ${claim.shows}`);
    if (claim.hides) t.notMatch(output, claim.hides, `${command}${as} does not show ${claim.hides}`);
  }
}
