/** What a backup: section adds to the rendered lab, and what a lab without one does not get. */
import t from 'tap';
import { parse } from 'yaml';
import { patroniBackupView } from '../../lab/render/backup.js';
import { renderLab, type RenderedLab } from '../../lab/render/index.js';
import type { LabSecrets } from '../../lab/render/types.js';
import { FIXED_SECRETS, specOf } from './helpers.js';

const TLS: NonNullable<LabSecrets['backupTls']> = {
  ca: 'CA-PEM',
  hosts: Object.fromEntries(
    ['node1', 'node2', 'node3', 'backup'].map((n, i) => [n, { cert: `${n}-CERT`, key: `${n}-KEY`, ip: `192.168.1.${11 + i}` }]),
  ),
};
const withBackup = (input: object = {}) =>
  renderLab(specOf({ provider: 'docker', postgres: { version: 17, packageSource: 'distro' }, backup: {}, ...input }), {
    ...FIXED_SECRETS,
    backupTls: TLS,
  });
const text = (files: RenderedLab, path: string): string => {
  const f = files.get(path);
  if (!f) throw new Error(`not rendered: ${path}`);
  return f.content;
};
const lines = (s: string) => s.split('\n').filter((l) => l && !l.startsWith('#'));

t.test('Patroni archives through pgBackRest, restores through it, makes replicas from the repository first', async (t) => {
  const patroni = parse(text(withBackup(), 'nodes/node2/patroni.yml'));
  const params = patroni.bootstrap.dcs.postgresql.parameters;
  t.equal(params.archive_mode, 'on');
  t.equal(params.archive_command, 'pgbackrest --stanza=pgha archive-push %p');
  t.equal(patroni.postgresql.recovery_conf.restore_command, 'pgbackrest --stanza=pgha archive-get %f "%p"');
  t.same(patroni.postgresql.create_replica_methods, ['pgbackrest', 'basebackup']);
  t.same(patroni.postgresql.pgbackrest, {
    command: '/usr/bin/pgbackrest --stanza=pgha --delta --type=standby restore',
    keep_data: true,
    no_params: true,
    no_leader: true,
  });
  t.same(
    patroniBackupView({ name: 'b', ip: '10.0.0.9', retentionFull: 1, stanza: 'x' }).archiveCommand,
    'pgbackrest --stanza=x archive-push %p',
  );
  const plain = parse(text(renderLab(specOf({ provider: 'docker' }), FIXED_SECRETS), 'nodes/node1/patroni.yml'));
  t.notOk(plain.bootstrap.dcs.postgresql.parameters.archive_mode, 'no backup: no archiving');
  t.notOk(plain.postgresql.create_replica_methods, 'no backup: Patroni makes replicas its default way');
});

t.test("pgBackRest's configurations: TLS both ways, one auth line per client, retention", async (t) => {
  const files = withBackup({ backup: { retentionFull: 3, retentionDiff: 5 } });
  const repo = lines(text(files, 'backup/backup/pgbackrest.conf'));
  t.ok(repo.includes('repo1-retention-full=3'));
  t.ok(repo.includes('repo1-retention-diff=5'));
  t.same(
    repo.filter((l) => l.startsWith('tls-server-auth=')),
    ['tls-server-auth=node1=pgha', 'tls-server-auth=node2=pgha', 'tls-server-auth=node3=pgha'],
    'the part after = lists stanzas, so each node has a line',
  );
  t.ok(repo.includes('pg3-host=node3') && repo.includes('pg3-host-type=tls'), 'every node, over TLS');
  t.ok(repo.includes('pg1-path=/var/lib/postgresql/17/main'));
  const node = lines(text(files, 'nodes/node1/pgbackrest.conf'));
  t.ok(node.includes('repo1-host=backup') && node.includes('repo1-host-type=tls'));
  t.ok(node.includes('repo1-host-cert-file=/etc/pgbackrest/tls/node1.crt'), "the node's own certificate");
  t.ok(node.includes('tls-server-auth=backup=pgha'), 'only the backup node may use its server');
  t.notOk(lines(text(withBackup(), 'backup/backup/pgbackrest.conf')).some((l) => l.startsWith('repo1-retention-diff')));
});

t.test('certificates: keys owner-only; env files; nothing of this without backup:', async (t) => {
  const files = withBackup();
  t.equal(files.get('backup/tls/node2.key')?.mode, 0o600);
  t.equal(files.get('backup/tls/node2.key')?.content, 'node2-KEY');
  t.equal(files.get('backup/tls/ca.crt')?.mode, 0o644);
  t.match(text(files, 'nodes/node1/node.env'), /^BACKUP=1$/m);
  t.match(text(files, 'backup/backup/backup.env'), /^NODE_IP='192\.168\.1\.14'$/m);
  t.ok(files.has('files/pgbackrest-server.service'));
  const plain = renderLab(specOf({ provider: 'docker' }), FIXED_SECRETS);
  t.match(text(plain, 'nodes/node1/node.env'), /^BACKUP=0$/m);
  t.notOk([...plain.keys()].some((p) => p.startsWith('backup/') || p.endsWith('pgbackrest.conf')));
  t.throws(() => renderLab(specOf({ provider: 'docker', backup: {} }), FIXED_SECRETS), /needs secrets\.backupTls/);
});

t.test("the package from the lab's source: Debian's pgbackrest, Percona's percona-pgbackrest (static)", async (t) => {
  const lib = text(withBackup(), 'provision/pgbackrest-lib.sh');
  const branch = (source: string) => new RegExp(`\\n\\s*${source}\\)\\n([\\s\\S]*?);;`).exec(lib)?.[1] ?? '';
  t.match(branch('percona'), /percona_repository "\$PG_VERSION"/, "percona: the nodes' repository");
  t.match(branch('percona'), /package=percona-pgbackrest/);
  t.match(branch('distro'), /package=pgbackrest\b/);
  t.notMatch(branch('distro'), /percona/);
  t.match(lib, /apt_install "\$package"/, 'through apt_install: nothing reinstalled when present');
  for (const source of ['percona', 'distro'])
    t.match(
      text(withBackup({ postgres: { version: 17, packageSource: source } }), 'backup/backup/backup.env'),
      new RegExp(`PACKAGE_SOURCE='${source}'`),
    );
});
