import { existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import {
  BACKUP_SCRIPTS,
  ENTRY_SCRIPT,
  entryPackagesCommand,
  entryScriptCommand,
  PACKAGES_SCRIPT,
  PROVISION_SCRIPTS,
  scriptCommand,
} from '../../lab/render/provisioning.js';
import { ROOT } from '../helpers.js';

t.test('the scripts run in their numbered order, packages first, and each is in provision/', async (t) => {
  const files = [...PROVISION_SCRIPTS, ENTRY_SCRIPT].map((s) => s.script);
  t.same(files, ['10-packages.sh', '20-etcd.sh', '30-watchdog.sh', '35-pgbackrest.sh', '40-patroni.sh', '50-entry.sh']);
  t.same(
    Object.values(BACKUP_SCRIPTS).map((s) => s.script),
    ['15-backup-repository.sh', '60-backup-stanza.sh'],
    "the backup node's: its server before the nodes' 40, its stanza after",
  );
  for (const f of Object.values(BACKUP_SCRIPTS))
    t.ok(existsSync(path.join(ROOT, 'provision', f.script)), `provision/${f.script} exists`);
  t.equal(PACKAGES_SCRIPT.name, 'packages');
  for (const f of files) t.ok(existsSync(path.join(ROOT, 'provision', f)), `provision/${f} exists`);
});

t.test('a node runs a script with its own node.env; the HAProxy node with its entry.env, all under the mount', async (t) => {
  t.same(scriptCommand(PROVISION_SCRIPTS[1], 'node2'), [
    'bash',
    '/vagrant/provision/20-etcd.sh',
    '/vagrant/nodes/node2/node.env',
  ]);
  t.same(entryScriptCommand('haproxy'), ['bash', '/vagrant/provision/50-entry.sh', '/vagrant/entry/haproxy/entry.env']);
  t.same(
    entryPackagesCommand('haproxy'),
    ['bash', '/vagrant/provision/50-entry.sh', '/vagrant/entry/haproxy/entry.env', 'packages'],
    "the entry image's build: the same script and env file, packages only",
  );
});
