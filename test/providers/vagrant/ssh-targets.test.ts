/**
 * When `vagrant ssh-config` is read (seconds of Vagrant each time) and what a failed read leaves: a
 * killed machine makes it fail for every machine, and each attempt to reach that machine must not
 * start Vagrant again.
 */
import t from 'tap';
import { REFRESH_MS, SshTargets } from '../../../lab/providers/vagrant/ssh-targets.js';
import type { SshTarget } from '../../../lab/providers/vagrant/machine-readable.js';

const target = (port: number): SshTarget => ({ host: '127.0.0.1', port, user: 'vagrant', identityFile: '/k' });
const hosts = (port: number) =>
  new Map([
    ['node1', target(port)],
    ['node2', target(port + 1)],
  ]);

/** Each read answers with the next of `answers` (a port base, or an error). */
const setup = (answers: (number | Error)[]) => {
  const clock = { t: 0, now: () => clock.t };
  let reads = 0;
  const targets = new SshTargets(async () => {
    const answer = answers[reads++];
    if (answer === undefined || answer instanceof Error) throw answer ?? new Error('no more answers');
    return hosts(answer);
  }, clock);
  return { clock, targets, reads: () => reads };
};

t.test('read once; after a failed connection, again at most every REFRESH_MS', async (t) => {
  const { clock, targets, reads } = setup([2200, 2300]);
  t.same(await targets.get('node1', false), target(2200));
  t.same(await targets.get('node2', false), target(2201));
  t.same(await targets.get('node1', true), target(2200), 'a failed connection soon after the read: the same target, no read');
  t.equal(reads(), 1);
  clock.t += REFRESH_MS + 1;
  t.same(await targets.get('node1', false), target(2200), 'no failure: no read, however old');
  t.same(await targets.get('node1', true), target(2300), 'a failed connection later: read again');
  t.equal(reads(), 2);
  await t.rejects(targets.get('node3', false), /vagrant ssh-config lists no machine node3/);
});

t.test('a read that fails while a machine is down keeps what the last one said', async (t) => {
  const { clock, targets, reads } = setup([
    2200,
    new Error('The provider for this Vagrant-managed machine is reporting that it is not yet ready for SSH'),
    2200,
  ]);
  await targets.get('node1', false);
  clock.t += REFRESH_MS + 1;
  t.same(await targets.get('node1', true), target(2200), 'the refresh failed: the last endpoint, where nothing listens now');
  t.same(await targets.get('node1', true), target(2200), 'and Vagrant is not started again at each attempt');
  t.equal(reads(), 2);
  clock.t += REFRESH_MS + 1;
  await targets.get('node1', true);
  t.equal(reads(), 3, 'but again after REFRESH_MS');
});

t.test('a first read that fails is tried again at the next use; forget() reads again', async (t) => {
  const { targets, reads } = setup([new Error('vagrant ssh-config failed'), 2200, 2400]);
  await t.rejects(targets.get('node1', false), /vagrant ssh-config failed/);
  t.same(await targets.get('node1', false), target(2200));
  targets.forget();
  t.same(await targets.get('node1', false), target(2400), 'after vagrant up: new endpoints');
  t.equal(reads(), 3);
});
