import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { writeLabDir } from '../../lab/labdir/write.js';
import { generateLab } from '../../lab/labdir/generate.js';
import { parseSpec } from '../../lab/spec/parse.js';
import type { RenderedLab } from '../../lab/render/types.js';
import { tempDir } from '../helpers.js';

const files = (entries: [string, string, number?][]): RenderedLab =>
  new Map(entries.map(([p, c, m]) => [p, { content: c, mode: m ?? 0o644 }]));

t.test('a failed write leaves the previous contents as they were', async (t) => {
  const dir = await tempDir(t);
  await writeLabDir(
    dir,
    files([
      ['a.txt', 'one'],
      ['sub/b.txt', 'two'],
    ]),
  );
  await t.rejects(
    writeLabDir(
      dir,
      files([
        ['a.txt', 'changed'],
        ['../escape.txt', 'x'],
      ]),
    ),
    /outside the lab directory/,
  );
  t.equal(await readFile(path.join(dir, 'a.txt'), 'utf8'), 'one', 'a.txt untouched');
  t.same((await readdir(dir)).sort(), ['.generated.json', 'a.txt', 'sub'], 'no staging directory left behind');
});

t.test('stale generated files are removed, others are left alone', async (t) => {
  const dir = await tempDir(t);
  await writeLabDir(
    dir,
    files([
      ['nodes/node4/node.env', 'x'],
      ['keep.txt', 'k'],
    ]),
  );
  await writeFile(path.join(dir, 'state.json'), '{}'); // provider state, not generated
  const result = await writeLabDir(dir, files([['keep.txt', 'k']]));
  t.same(result, { written: [], removed: ['nodes/node4/node.env'] });
  t.ok(await stat(path.join(dir, 'state.json')), 'provider state kept');
});

t.test('generate: secrets are per lab, owner-only, kept across runs', async (t) => {
  const dir = await tempDir(t);
  const { spec } = parseSpec('');
  const first = await generateLab({ spec, dir, warnings: [] });
  t.ok(first.changed);
  const secretsText = await readFile(path.join(dir, 'secrets.json'), 'utf8');
  const secrets = JSON.parse(secretsText) as Record<string, string>;
  t.equal(Object.keys(secrets).length, 4);
  for (const value of Object.values(secrets)) t.match(value, /^[A-Za-z0-9_-]{24}$/);
  t.equal((await stat(path.join(dir, 'secrets.json'))).mode & 0o777, 0o600);
  t.equal((await stat(path.join(dir, 'nodes/node1/patroni.yml'))).mode & 0o777, 0o600, 'patroni.yml holds secrets');
  const second = await generateLab({ spec, dir, warnings: [] });
  t.same(second, { dir, changed: false, written: [], removed: [] }, 'a second generate changes nothing');
  t.equal(await readFile(path.join(dir, 'secrets.json'), 'utf8'), secretsText);
  const other = await tempDir(t);
  await generateLab({ spec, dir: other, warnings: [] });
  t.not(await readFile(path.join(other, 'secrets.json'), 'utf8'), secretsText, 'another lab gets other secrets');
});
