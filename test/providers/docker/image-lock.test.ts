import t from 'tap';
import type Docker from 'dockerode';
import { imageLockPath, withImageLock } from '../../../lab/providers/docker/image-lock.js';

t.test('one lock per engine and image tag', async (t) => {
  const a = imageLockPath('/l', '/var/run/docker.sock', 'pgha-lab/node:abc');
  t.equal(a, imageLockPath('/l', '/var/run/docker.sock', 'pgha-lab/node:abc'), 'the same engine and tag: the same lock');
  t.not(a, imageLockPath('/l', '/run/engine2.sock', 'pgha-lab/node:abc'), 'another engine: another lock');
  t.not(a, imageLockPath('/l', '/var/run/docker.sock', 'pgha-lab/node:def'), 'another tag: another lock');
  t.match(a, /^\/l\/[0-9a-f]{16}\.image$/, 'a plain file name in the lock directory');
});

t.test('two builders of one image at once: the second runs only after the first ends', async (t) => {
  // The lock is real (a directory under the temp dir); the engine is only its socket path, a name.
  const engine = { modem: { socketPath: `/tmp/image-lock-test-${process.pid}.sock` } } as unknown as Docker;
  let inside = 0;
  let most = 0;
  const order: string[] = [];
  const build = (name: string) => async () => {
    inside++;
    most = Math.max(most, inside);
    order.push(`${name} starts`);
    await new Promise((r) => setTimeout(r, 300));
    order.push(`${name} ends`);
    inside--;
  };
  await Promise.all([withImageLock(engine, 'pgha-lab/node:t', build('a')), withImageLock(engine, 'pgha-lab/node:t', build('b'))]);
  t.equal(most, 1, 'never two builds at once');
  t.same(
    order.map((s) => s.split(' ')[1]),
    ['starts', 'ends', 'starts', 'ends'],
    `one after the other: ${order.join(', ')}`,
  );
});
