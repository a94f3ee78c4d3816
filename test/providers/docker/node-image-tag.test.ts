/** The node image's tag: a hash of what decides its contents. */
import t from 'tap';
import { nodeImageTag } from '../../../lab/providers/docker/node-image-tag.js';
import { DK1 as spec } from './dk1.js';

t.test('node image tag follows what decides its contents', async (t) => {
  const scripts = ['packages', 'lib'];
  const tag = nodeImageTag('sha256:base', scripts, spec);
  t.match(tag, /^pgha-lab\/node:[0-9a-f]{16}$/);
  t.equal(nodeImageTag('sha256:base', [...scripts], spec), tag, 'stable');
  t.not(nodeImageTag('sha256:other', scripts, spec), tag, 'another base image');
  t.not(nodeImageTag('sha256:base', ['packages2', 'lib'], spec), tag, 'another 10-packages.sh');
  t.not(nodeImageTag('sha256:base', ['packages', 'lib2'], spec), tag, 'another lib.sh');
  t.not(nodeImageTag('sha256:base', scripts, { postgres: { ...spec.postgres, version: 16 } }), tag, 'another PostgreSQL version');
});
