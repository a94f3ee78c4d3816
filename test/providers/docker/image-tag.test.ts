/** Content-addressed tags: the repository, then a hash of the parts in order. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { hashedTag, provisionScripts } from '../../../lab/providers/docker/image-tag.js';

t.test('hashedTag: 16 hex digits of the parts, in order', async (t) => {
  const tag = hashedTag('pgha-lab/x', ['a', { b: 1 }]);
  t.match(tag, /^pgha-lab\/x:[0-9a-f]{16}$/);
  t.equal(hashedTag('pgha-lab/x', ['a', { b: 1 }]), tag, 'stable');
  t.not(hashedTag('pgha-lab/x', [{ b: 1 }, 'a']), tag, 'the order counts');
  t.not(hashedTag('pgha-lab/x', ['a', { b: 2 }]), tag, 'a changed part');
  t.not(hashedTag('pgha-lab/y', ['a', { b: 1 }]).split(':')[0], tag.split(':')[0], 'the repository is its own');
});

t.test("provisionScripts reads the lab directory's provision/ files in the order asked", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pgha-lab-tag-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'provision'));
  await writeFile(path.join(dir, 'provision', 'a.sh'), 'A');
  await writeFile(path.join(dir, 'provision', 'b.sh'), 'B');
  t.same(await provisionScripts(dir, ['b.sh', 'a.sh']), ['B', 'A']);
  await t.rejects(provisionScripts(dir, ['missing.sh']), { code: 'ENOENT' }, 'a missing script is an error, not an empty part');
});
