/** The entry image's tag: a hash of what decides its contents, and not of what it does not. */
import t from 'tap';
import { entryImageTag } from '../../../lab/providers/docker/entry-image-tag.js';
import { nodeImageTag } from '../../../lab/providers/docker/node-image-tag.js';
import { DK1 as spec } from './dk1.js';

t.test('entry image tag follows the node image, the entry step and the package settings', async (t) => {
  const scripts = ['entry', 'lib'];
  const tag = entryImageTag('sha256:node', scripts, spec);
  t.match(tag, /^pgha-lab\/entry:[0-9a-f]{16}$/);
  t.equal(entryImageTag('sha256:node', [...scripts], spec), tag, 'stable');
  t.not(entryImageTag('sha256:other', scripts, spec), tag, 'another node image');
  t.not(entryImageTag('sha256:node', ['entry2', 'lib'], spec), tag, 'another 50-entry.sh');
  t.not(entryImageTag('sha256:node', ['entry', 'lib2'], spec), tag, 'another lib.sh');
  t.not(
    entryImageTag('sha256:node', scripts, { postgres: { ...spec.postgres, packageSource: 'percona' } }),
    tag,
    'another package source',
  );
  t.not(
    tag.split(':')[1],
    nodeImageTag('sha256:node', scripts, spec).split(':')[1],
    'not the node image hash in another repository',
  );
});

t.test('one entry image for labs with and without PgBouncer, or with other entry settings', async (t) => {
  const withPgbouncer = { ...spec, entry: { haproxy: null, pgbouncer: { poolMode: 'transaction' } } };
  t.equal(
    entryImageTag('sha256:node', ['entry', 'lib'], withPgbouncer as unknown as typeof spec),
    entryImageTag('sha256:node', ['entry', 'lib'], spec),
    'only postgres.* of the spec is read',
  );
});
