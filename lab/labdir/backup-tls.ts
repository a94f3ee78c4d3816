/**
 * The certificates pgBackRest's TLS servers and clients present to each other: one certificate
 * authority per lab, and a certificate per machine (the nodes and the backup node), its common name
 * the machine's name, which each server's tls-server-auth checks. Made once, kept with the secrets,
 * made again only when the machines change.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import type { BackupTls } from '../render/types.js';

export interface TlsMachine {
  name: string;
  ip: string;
}

const VALID_YEARS = 10;

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  // Node's own generator: node-forge's pure-JavaScript one takes seconds per key.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function certificate(
  subject: string,
  publicKey: forge.pki.rsa.PublicKey,
  issuer: { name: string; key: forge.pki.rsa.PrivateKey },
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the leading byte's high bit clear.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + VALID_YEARS * 365 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setIssuer([{ name: 'commonName', value: issuer.name }]);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

/** A new authority and a certificate for each machine (server and client alike), names and addresses as alternative names. */
export function newBackupTls(labName: string, machines: TlsMachine[]): BackupTls {
  const ca = keyPair();
  const caName = `${labName} pgBackRest CA`;
  const caCert = certificate(caName, ca.publicKey, { name: caName, key: ca.privateKey }, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const hosts = Object.fromEntries(
    machines.map((m) => {
      const key = keyPair();
      const cert = certificate(m.name, key.publicKey, { name: caName, key: ca.privateKey }, [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: m.name },
            { type: 7, ip: m.ip },
          ],
        },
      ]);
      return [m.name, { cert: forge.pki.certificateToPem(cert), key: key.pem, ip: m.ip }];
    }),
  );
  return { ca: forge.pki.certificateToPem(caCert), hosts };
}

/** Whether the kept certificates still name exactly these machines at these addresses. Pure. */
export function tlsFits(tls: BackupTls | undefined, machines: TlsMachine[]): tls is BackupTls {
  if (!tls) return false;
  const kept = Object.entries(tls.hosts);
  return kept.length === machines.length && machines.every((m) => tls.hosts[m.name]?.ip === m.ip);
}
