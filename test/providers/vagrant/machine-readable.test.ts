/**
 * What the vagrant CLI prints, read as data. The fixtures are real output of Vagrant 2.3.4 with its
 * docker provider on a generated lab (trimmed of package-manager chatter): `vagrant up --no-parallel`,
 * and `vagrant provision` of a provisioner that fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import {
  machineText,
  parseMachineReadable,
  parseSshConfig,
  parseStatus,
  remoteCommand,
  VagrantProgress,
  type VagrantEffect,
} from '../../../lab/providers/vagrant/machine-readable.js';
import { ROOT } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(path.join(ROOT, 'test/fixtures/vagrant', name), 'utf8');

t.test('vagrant status --machine-readable', async (t) => {
  const text = [
    '1700000000,node1,metadata,provider,virtualbox',
    '1700000000,node1,provider-name,virtualbox',
    '1700000000,node1,state,running',
    '1700000000,node2,state,stopped',
    '1700000000,node3,state,not_created',
    '1700000000,,ui,info,Current machine states:%!(VAGRANT_COMMA) see below\\n',
  ].join('\n');
  t.same(
    [...parseStatus(text)],
    [
      ['node1', 'running'],
      ['node2', 'stopped'],
      ['node3', 'not_created'],
    ],
  );
  t.equal(parseMachineReadable(text).at(-1)?.data[1], 'Current machine states:, see below\n', 'commas and newlines unescaped');
});

t.test('vagrant ssh-config: every machine, the first identity, quoted paths', async (t) => {
  const text = [
    'Host node1',
    '  HostName 127.0.0.1',
    '  User vagrant',
    '  Port 2222',
    '  UserKnownHostsFile /dev/null',
    '  IdentityFile /labs/vg/.vagrant/machines/node1/docker/private_key',
    '  IdentityFile /root/.vagrant.d/insecure_private_key',
    '  IdentitiesOnly yes',
    '',
    'Host node2',
    '  HostName 127.0.0.1',
    '  User vagrant',
    '  Port 2200',
    '  IdentityFile "/my labs/vg/.vagrant/machines/node2/docker/private_key"',
    '',
  ].join('\n');
  t.same(Object.fromEntries(parseSshConfig(text)), {
    node1: {
      host: '127.0.0.1',
      port: 2222,
      user: 'vagrant',
      identityFile: '/labs/vg/.vagrant/machines/node1/docker/private_key',
    },
    node2: {
      host: '127.0.0.1',
      port: 2200,
      user: 'vagrant',
      identityFile: '/my labs/vg/.vagrant/machines/node2/docker/private_key',
    },
  });
});

t.test('remote commands are quoted for the guest shell and run as root', async (t) => {
  t.equal(remoteCommand(['psql', '-c', "select 'a b'"]), `sudo -n 'psql' '-c' 'select '\\''a b'\\'''`);
});

t.test("a machine's ui text loses Vagrant's prefixes, on every line", async (t) => {
  t.equal(machineText('==> node1: Running provisioner: 20-etcd (shell)...', 'node1'), 'Running provisioner: 20-etcd (shell)...');
  t.equal(machineText('    node1: a\n    node1: b', 'node1'), 'a\nb');
  t.equal(machineText('    node10: a', 'node1'), '    node10: a', 'another machine is not this one');
});

function run(text: string): { effects: VagrantEffect[]; progress: VagrantProgress } {
  let clock = 0;
  const progress = new VagrantProgress(() => (clock += 1000));
  const effects = parseMachineReadable(text).flatMap((l) => progress.feed(l));
  return { effects, progress };
}

const tasks = (effects: VagrantEffect[]) =>
  effects.flatMap((e) => (e.kind === 'progress' ? [`${e.event.node} ${e.event.task} ${e.event.status}`] : []));

t.test('vagrant up --no-parallel: a machine task, then each provisioner, machine by machine', async (t) => {
  const { effects, progress } = run(fixture('up-no-parallel.txt'));
  t.same(tasks([...effects, ...progress.finish('ok')]), [
    'node1 machine start',
    'node1 machine ok',
    'node1 10-packages start',
    'node1 10-packages ok',
    'node1 20-etcd start',
    'node1 20-etcd ok',
    'node1 30-watchdog start',
    'node1 30-watchdog ok',
    'node1 40-patroni start',
    'node1 40-patroni ok',
    'node2 machine start',
    'node2 machine ok',
  ]);
  const output = (node: string, task: string): string =>
    effects.flatMap((e) => (e.kind === 'output' && e.node === node && e.task === task ? [e.text] : [])).join('\n');
  t.match(output('node1', 'machine'), /Waiting for machine to boot/, "the machine task's log has Vagrant's boot messages");
  t.match(
    output('node1', '20-etcd'),
    /^==> \[node1\] etcd: not waiting for health: 1 of 3 members up, quorum needs 2/m,
    "a task's log has its provisioner's lines, unprefixed",
  );
  t.notMatch(output('node1', '20-etcd'), /packages:/, 'and only them');
  t.match(output('node1', '40-patroni'), /not waiting for Patroni: etcd's cluster version is not decided/);
});

t.test("a failing provisioner fails its task with Vagrant's error; the run reports it", async (t) => {
  const { effects, progress } = run(fixture('provision-fails.txt'));
  const finished = progress.finish('failed');
  t.same(tasks([...effects, ...finished]), ['node1 10-packages start', 'node1 10-packages fail']);
  const failed = finished.find((e) => e.kind === 'progress' && e.event.status === 'fail');
  t.match(failed?.kind === 'progress' ? failed.event.output : '', /The SSH command responded with a non-zero exit status/);
  t.match(progress.error, /non-zero exit status/);
  t.ok(
    effects.some(
      (e) => e.kind === 'output' && e.task === '10-packages' && /usage: bash \/vagrant\/provision\/10-packages.sh/.test(e.text),
    ),
    "the script's own message is in its task's log",
  );
});

t.test('an interrupted or failed run fails every task still open, on every machine', async (t) => {
  const { effects, progress } = run(
    [
      '1,node1,action,up,start',
      '2,node2,action,up,start',
      '3,node1,ui,info,==> node1: Running provisioner: 10-packages (shell)...',
    ].join('\n'),
  );
  t.same(tasks(effects), ['node1 machine start', 'node2 machine start', 'node1 machine ok', 'node1 10-packages start']);
  const finished = progress.finish('interrupted');
  t.same(tasks(finished).sort(), ['node1 10-packages fail', 'node2 machine fail']);
  t.ok(
    finished.every((e) => e.kind === 'progress' && e.event.output === 'interrupted'),
    'an interruption is said as such, not as an error',
  );
});
