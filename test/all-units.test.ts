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

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));

const files = readdirSync(here, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.js') && f !== self && !f.startsWith(`integration${path.sep}`))
  .sort();
for (const file of files) await import(pathToFileURL(path.join(here, file)).href);
