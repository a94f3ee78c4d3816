/**
 * Every test file outside integration/, in one process, in name order. tap starts each file it is
 * given in a node process of its own, with its process tracker's module loader on a thread of its
 * own (@tapjs/processinfo): about 2 CPU-seconds a file before its first test. The 81 files took 247
 * CPU-seconds and 128 s on two cores as files of their own, 78 CPU-seconds and 73 s in one process,
 * and CI's two cores are busy from its first minute to its last. tap's `include` names this file and
 * the two integration halves; one file alone still runs with `npx tap dist/test/<path>.test.js`.
 * So a test file leaves the process as it found it (stdout, exitCode, env, cwd), as runMain does.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));

const files = readdirSync(here, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.js') && f !== self && !f.startsWith(`integration${path.sep}`))
  .sort();

// tap ends the process's root test once nothing is queued on it: the tests of the first files could
// all end while a later file is still being loaded, and that file's tests would then be refused
// ("cannot create subtest after parent test ends") without failing the run. So this test stays
// first in the queue, and open, until every file has been imported and has queued its own tests.
t.test(`every unit test file is loaded (${files.length})`, async (t) => {
  let loaded = 0;
  for (const file of files) {
    await import(pathToFileURL(path.join(here, file)).href);
    loaded++;
  }
  t.equal(loaded, files.length, 'each file imported, its tests queued after this one');
  t.ok(files.length > 50, `the unit test files were found in ${here}`);
});
