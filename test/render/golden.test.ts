/**
 * Golden files: every rendered file of each case, byte for byte, plus a MODES listing (git keeps only
 * the executable bit). UPDATE_GOLDEN=1 rewrites them: review the diff before committing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import t from 'tap';
import { renderLab, type RenderedLab } from '../../lab/render/index.js';
import { ROOT } from '../helpers.js';
import { CASES, FIXED_SECRETS, specOf } from './helpers.js';

const GOLDEN = join(ROOT, 'test', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The provisioners are copied into the lab as they are: compared with the project's own files, not kept twice. */
const isVerbatimCopy = (path: string): boolean => /^provision\/[^/]+\.sh$/.test(path);
const expectedContent = (dir: string, path: string): string => {
  const source = isVerbatimCopy(path) ? join(ROOT, path) : join(dir, path);
  return existsSync(source) ? readFileSync(source, 'utf8') : '<missing golden file>';
};

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function modesListing(files: RenderedLab): string {
  return [...files].map(([path, f]) => `${f.mode.toString(8).padStart(4, '0')} ${path}`).join('\n') + '\n';
}

for (const [name, input] of Object.entries(CASES)) {
  t.test(`golden: ${name}`, async (t) => {
    const files = renderLab(specOf(input), FIXED_SECRETS);
    const dir = join(GOLDEN, name);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      for (const [path, file] of files) {
        if (isVerbatimCopy(path)) continue;
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), file.content);
      }
      writeFileSync(join(dir, 'MODES'), modesListing(files));
      t.pass(`rewrote ${files.size} golden files under test/golden/${name}`);
      return;
    }
    t.ok(existsSync(dir), `test/golden/${name} exists (run with UPDATE_GOLDEN=1 to create it)`);
    for (const [path, file] of files) t.equal(file.content, expectedContent(dir, path), path);
    t.equal(modesListing(files), readFileSync(join(dir, 'MODES'), 'utf8'), 'file modes');
    const extra = listFiles(dir)
      .map((p) => relative(dir, p))
      .filter((p) => p !== 'MODES' && !files.has(p));
    t.same(extra, [], 'no golden file the renderer no longer produces');
  });
}

t.test('rendering is deterministic', async (t) => {
  for (const input of Object.values(CASES)) {
    const a = renderLab(specOf(input), FIXED_SECRETS);
    const b = renderLab(specOf(input), FIXED_SECRETS);
    t.same([...a], [...b]);
  }
});
