/** Shared by the render tests: specs, fixed secrets, writing a rendered lab to a directory. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { validateSpec } from '../../lab/spec/parse.js';
import type { LabSpec } from '../../lab/spec/schema.js';
import type { LabSecrets, RenderedLab } from '../../lab/render/index.js';

/** Fixed secrets: golden files must not change from run to run. Never the document's samples. */
export const FIXED_SECRETS: LabSecrets = {
  superuserPassword: 'golden-superuser-7f3a9c',
  replicationPassword: 'golden-replicator-2b8e41',
  rewindPassword: 'golden-rewind-95d0c7',
  restApiPassword: 'golden-restapi-e61f2a',
};

export function specOf(input: unknown): LabSpec {
  const { spec, problems } = validateSpec(input);
  if (!spec) throw new Error(`invalid test spec: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return spec;
}

/** The specs every structural test runs on: both package sources, PostgreSQL 12 to 18, both etcd modes, both watchdog drivers, sync mode, every Vagrant provider, entry points. */
export const CASES: Record<string, unknown> = {
  default: {},
  'five-nodes-10.20': { size: 5, network: { subnet: '10.20.0.0/24' }, name: 'five', entry: { pgbouncer: { enabled: true } } },
  'distro-incremental-docker': {
    provider: 'docker',
    network: { subnet: '10.99.0.0/24' },
    postgres: { version: 15, packageSource: 'distro' },
    etcd: { bootstrap: 'incremental' },
    watchdog: { mode: 'required' },
  },
  'vagrant-docker': {
    name: 'vg',
    vm: { provider: 'docker' },
    network: { subnet: '10.90.0.0/24' },
    docker: { baseImage: 'pgha-lab/base:trixie' },
    postgres: { version: 17, packageSource: 'distro' },
    watchdog: { mode: 'required' },
    entry: { haproxy: { maxReplicaLag: '1MB' } },
  },
  'percona-pg18-docker': {
    name: 'p18',
    provider: 'docker',
    network: { subnet: '10.18.0.0/24' },
    postgres: { version: 18 },
    watchdog: { mode: 'required' },
  },
  'sync-libvirt-pg12': {
    vm: { provider: 'libvirt', box: 'ubuntu-24.04' },
    postgres: { version: 12 },
    patroni: { synchronousMode: true, failsafeMode: true, configPath: '/etc/patroni/patroni.yml' },
    watchdog: { mode: 'off' },
  },
};

/** Writes the rendered files under `dir` (created if needed) with their modes; returns `dir`. */
export function writeLab(files: RenderedLab, dir: string): string {
  for (const [path, file] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  return dir;
}
