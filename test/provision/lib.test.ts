/**
 * provision/lib.sh's helpers, run by bash as a step runs them. install_file is called as a condition
 * (`if install_file ...; then restart`), where bash ignores `set -e` in everything it runs: a failing
 * command inside must still end the step, not print "written" and report a change. Each command is
 * made to fail by a shell function of its name, which bash runs instead of the program.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ROOT, tempDir } from '../helpers.js';

const LIB = path.join(ROOT, 'provision', 'lib.sh');

/** bash -c SCRIPT after sourcing lib.sh with `set -euo pipefail`, as every step does. */
function bash(script: string, cwd: string): { status: number | null; out: string } {
  const r = spawnSync('bash', ['-c', `set -euo pipefail; . ${JSON.stringify(LIB)}; NODE_NAME=node1 LAB_STEP=test; ${script}`], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** As 40-patroni.sh calls it (the exit code tells whether to restart), owned by whoever runs the test. */
const installAsCondition = 'if install_file src dir/dest 640 "$(id -un)" "$(id -gn)"; then echo RESTART; else echo UNCHANGED; fi';

t.test('install_file writes a changed file and reports it, and leaves an equal one alone', async (t) => {
  const dir = await tempDir(t);
  writeFileSync(path.join(dir, 'src'), 'one\n');
  const first = bash(installAsCondition, dir);
  t.equal(first.status, 0, first.out);
  t.match(first.out, /dir\/dest: written\nRESTART/);
  t.equal(readFileSync(path.join(dir, 'dir/dest'), 'utf8'), 'one\n');
  const again = bash(installAsCondition, dir);
  t.equal(again.status, 0, again.out);
  t.match(again.out, /^UNCHANGED$/m);
  t.notMatch(again.out, 'changed:');
});

for (const failing of ['mkdir', 'mktemp', 'cat', 'chmod', 'chown', 'mv']) {
  t.test(`install_file called as a condition ends the step when ${failing} fails`, async (t) => {
    const dir = await tempDir(t);
    writeFileSync(path.join(dir, 'src'), 'new\n');
    const r = bash(
      `${failing}() { echo "${failing}: refused" >&2; return 1; }; ${installAsCondition}; echo 'the step went on'`,
      dir,
    );
    t.not(r.status, 0, `the step fails:\n${r.out}`);
    t.notMatch(r.out, 'written', 'no change is reported');
    t.notMatch(r.out, 'RESTART');
    t.notMatch(r.out, 'the step went on');
    t.match(r.out, /ERROR: .*dir\/dest/, 'the error names the file');
    t.notOk(existsSync(path.join(dir, 'dir/dest')), 'nothing installed');
    const left = existsSync(path.join(dir, 'dir')) ? readdirSync(path.join(dir, 'dir')) : [];
    t.same(left, [], 'no temporary file left beside it');
  });
}

t.test('install_file ends the step when it cannot fix the mode or owner of an equal file', async (t) => {
  const dir = await tempDir(t);
  writeFileSync(path.join(dir, 'src'), 'same\n');
  t.equal(bash(installAsCondition, dir).status, 0);
  const r = bash(`chmod 600 dir/dest; chown() { return 1; }; ${installAsCondition}; echo 'the step went on'`, dir);
  t.not(r.status, 0, r.out);
  t.notMatch(r.out, 'fixed mode/owner');
  t.notMatch(r.out, 'the step went on');
});

t.test('wait_for retries a program or a shell function, bounded in tries', async (t) => {
  const dir = await tempDir(t);
  const program = bash(`wait_for 'a file' 3 0 test -e missing || echo GAVE-UP`, dir);
  t.match(program.out, /a file: still not ready after 3 attempts/);
  t.match(program.out, /GAVE-UP/);
  const fn = bash(`n=0; third() { n=$((n + 1)); ((n == 3)); }; wait_for 'third time' 5 0 third && echo "after $n"`, dir);
  t.match(
    fn.out,
    /third time: ok \(attempt 3\)\nafter 3/,
    'a function runs in the script itself: it sees and keeps its variables',
  );
});
