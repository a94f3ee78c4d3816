import { X509Certificate } from 'node:crypto';
import t from 'tap';
import { newBackupTls, tlsFits } from '../../lab/labdir/backup-tls.js';

const machines = [
  { name: 'node1', ip: '10.0.0.11' },
  { name: 'backup', ip: '10.0.0.14' },
];

t.test('newBackupTls: a CA, and each machine a certificate it signed naming the machine', async (t) => {
  const tls = newBackupTls('lab', machines);
  const ca = new X509Certificate(tls.ca);
  t.ok(ca.ca, 'the authority is a CA');
  t.same(Object.keys(tls.hosts), ['node1', 'backup']);
  for (const m of machines) {
    const cert = new X509Certificate(tls.hosts[m.name]!.cert);
    t.ok(cert.verify(ca.publicKey), `${m.name}: signed by the lab's CA`);
    t.match(cert.subject, `CN=${m.name}`, `${m.name}: its name is the common name tls-server-auth checks`);
    t.match(cert.subjectAltName ?? '', `DNS:${m.name}`);
    t.match(cert.subjectAltName ?? '', `IP Address:${m.ip}`);
    t.ok(
      cert.checkPrivateKey(await import('node:crypto').then((c) => c.createPrivateKey(tls.hosts[m.name]!.key))),
      'the key matches',
    );
  }
});

t.test('tlsFits: kept while the machines are the same, made again when they change', async (t) => {
  const tls = newBackupTls('lab', machines);
  t.ok(tlsFits(tls, machines));
  t.notOk(tlsFits(undefined, machines));
  t.notOk(tlsFits(tls, [machines[0]!]), 'a machine fewer');
  t.notOk(tlsFits(tls, [machines[0]!, { name: 'backup', ip: '10.0.0.15' }]), 'a machine moved');
});
