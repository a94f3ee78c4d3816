/**
 * Every test file outside integration/, in one process, in name order. tap starts each file it is
 * given in a node process of its own, with its process tracker's module loader on a thread of its
 * own (@tapjs/processinfo): about 2 CPU-seconds a file before its first test. The 81 files took 247
 * CPU-seconds and 128 s on two cores as files of their own, 78 CPU-seconds and 73 s in one process,
 * and CI's two cores are busy from its first minute to its last. tap's `include` names this file and
 * the two integration halves; one file alone still runs with `npx tap dist/test/<path>.test.js`.
 *
 * Sharing a process has two ways to go wrong silently, and this file guards both. A file's tests can
 * be lost: the files are counted from the TypeScript sources, apart from the compiled files loaded,
 * and after each file's tests a check counts that some ran, then a last one that every check ran (if
 * tap ends before it, the process fails on exit). A file can leave the process changed for the next
 * (cwd, env, exitCode; runMain restores what it changes): each check compares them with the last.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import tap from 'tap';
import { ROOT } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));

/** The unit test files under `dir` with the given extension, relative, in name order. */
function unitTestFiles(dir: string, ext: '.ts' | '.js'): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(`.test${ext}`) && !f.startsWith(`integration${path.sep}`) && f !== self.replace(/\.js$/, ext))
    .sort();
}

const files = unitTestFiles(here, '.js');
/** What should have been compiled: a source that failed to build, or a stale compiled file, shows here. */
const expected = unitTestFiles(path.join(ROOT, 'test'), '.ts').map((f) => f.replace(/\.ts$/, '.js'));

interface ProcessState {
  cwd: string;
  env: Record<string, string | undefined>;
  exitCode: typeof process.exitCode;
}
const processState = (): ProcessState => ({ cwd: process.cwd(), env: { ...process.env }, exitCode: process.exitCode });

/** What changed between two states, as readable lines (nothing when equal). */
function changes(before: ProcessState, after: ProcessState): string[] {
  const changed: string[] = [];
  if (before.cwd !== after.cwd) changed.push(`cwd ${before.cwd} -> ${after.cwd}`);
  if (before.exitCode !== after.exitCode) changed.push(`exitCode ${before.exitCode} -> ${after.exitCode}`);
  for (const key of new Set([...Object.keys(before.env), ...Object.keys(after.env)])) {
    if (before.env[key] !== after.env[key])
      changed.push(`env ${key} ${before.env[key] ?? '(unset)'} -> ${after.env[key] ?? '(unset)'}`);
  }
  return changed;
}

/**
 * Tests started on the root so far: they start one after the other, in the order queued, so those
 * started between two checks are the tests of the file the second one checks. (Its counts and its
 * subtestEnd events are no use here: they can lag one test behind.)
 */
let started = 0;
tap.on('subtestStart', () => started++);
let last = { started: 0, state: processState() };
let checked = 0;
let finished = false;

/** Queued on the root test after a file's tests, so it runs when they have all ended. */
function checkAfter(file: string): void {
  tap.test(`${file}: its tests ran and left cwd, env and exitCode as they found them`, async (t) => {
    const state = processState();
    // Less the previous check (or the loader) and this one.
    t.ok(started - last.started - 1 > 0, `${file} ran at least one test (an assertion outside any t.test does not count)`);
    t.same(changes(last.state, state), [], `${file} left the process as it found it`);
    last = { started, state };
    checked++;
  });
}

// tap ends the process's root test once nothing is queued on it: the tests of the first files could
// all end while a later file is still being loaded, and that file's tests would then be refused
// ("cannot create subtest after parent test ends") without failing the run. So this test stays
// first in the queue, and open, until every file has been imported and has queued its own tests.
tap.test(`every unit test file is loaded (${files.length})`, async (t) => {
  t.same(files, expected, `the compiled unit test files are those of ${path.join(ROOT, 'test')}`);
  t.ok(files.length > 50, `the unit test files were found in ${here}`);
  for (const file of files) {
    const before = processState();
    await import(pathToFileURL(path.join(here, file)).href);
    t.same(changes(before, processState()), [], `${file}: loading it changes nothing in the process`);
    checkAfter(file);
  }
  last = { started, state: processState() };
  tap.test('a check ran after every file', async (t) => {
    t.equal(checked, expected.length, 'one per unit test source file');
    finished = true;
  });
});

process.on('exit', () => {
  if (finished) return;
  process.stderr.write(
    `all-units: the run ended before its last check (${checked} of ${expected.length} files checked): tests were lost\n`,
  );
  process.exitCode = 1;
});
