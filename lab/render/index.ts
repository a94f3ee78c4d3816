/**
 * LabSpec + secrets -> every file of the lab directory. Pure and deterministic: the same input
 * always gives the same map, in the same order; templates are read from the package, nothing else.
 *
 * Layout (paths relative to the lab directory, which is /vagrant inside VMs and containers):
 *   Vagrantfile
 *   docker/Dockerfile                 the image Vagrant's docker provider builds (its "box")
 *   provision/lib.sh, 10-packages.sh, 20-etcd.sh, 30-watchdog.sh, 40-patroni.sh, lab-watchdog.sh
 *   provision/packages.env            parameters of step 10 alone (for building a node image)
 *   files/61-watchdog.rules, softdog.conf, lab-watchdog.service, patroni-lab-watchdog.conf, patroni.service,
 *         etcd.service.conf, patroni.service.conf   the drop-ins that decide how etcd and Patroni start
 *         (unit names from node-layout.ts)
 *   nodes/<node>/node.env, etcd.env, patroni.yml (0600)
 *   entry/<haproxy node>/entry.env, haproxy.cfg, pgbouncer.ini and userlist.txt (0600)   with entry.haproxy
 *   nodes/<node>/pgbackrest.conf, backup/<backup node>/backup.env, pgbackrest.conf,
 *   backup/tls/ca.crt, <machine>.crt, <machine>.key (0600), files/pgbackrest-server.service   with backup:
 */
import { nodesAreContainers } from '../spec/rules.js';
import type { EntrySpec, LabNode, LabSpec } from '../spec/schema.js';
import { subnetWithin } from '../net.js';
import { NODE_OS_PACKAGES, nodeContainerFlags, SYSTEMD_CONTAINER } from './containers.js';
import { DOCUMENT_FIXES, type DocumentFix } from './fixes.js';
import { packageFile } from './package-files.js';
import { renderTemplate } from './templates.js';
import type { LabSecrets, RenderedFile, RenderedLab } from './types.js';
import { BACKUP_UNITS, ENTRY_UNITS, ETCD_ENV_FILE, PGBACKREST_PATHS, pgPaths, SERVICE_BINARIES, UNITS } from './node-layout.js';
import { BACKUP_PORTS, ENTRY_PORTS, SERVICE_PORTS } from './ports.js';
import { backupMachineFiles, nodePgbackrestConf, patroniBackupView, tlsFiles } from './backup.js';
import {
  BACKUP_SCRIPTS,
  ENTRY_SCRIPT,
  entryScriptCommand,
  LAB_MOUNT,
  PACKAGES_SCRIPT,
  PROVISION_SCRIPTS,
  scriptCommand,
} from './provisioning.js';

export type { LabSecrets, RenderedFile, RenderedLab } from './types.js';
export { DOCUMENT_FIXES, type DocumentFix };

/**
 * VirtualBox 6.1.28+ accepts host-only addresses only in this range unless /etc/vbox/networks.conf
 * lists more: the Vagrantfile says so when the lab's subnet is outside it, and preflight checks it.
 */
export const VBOX_DEFAULT_RANGE = '192.168.56.0/21';

/** Where the Patroni testing-driver FIFO lives in containers (read by lab-watchdog.service). */
export const TESTING_WATCHDOG_DEVICE = '/run/lab-watchdog';

const PROVISION_FILES: { name: string; mode: number }[] = [
  { name: 'lib.sh', mode: 0o644 },
  { name: 'pgbackrest-lib.sh', mode: 0o644 },
  ...PROVISION_SCRIPTS.map((s) => ({ name: s.script, mode: 0o755 })),
  { name: 'lab-watchdog.sh', mode: 0o755 },
  { name: ENTRY_SCRIPT.script, mode: 0o755 },
  ...Object.values(BACKUP_SCRIPTS).map((s) => ({ name: s.script, mode: 0o755 })),
];

const STATIC_FILES = ['61-watchdog.rules', 'softdog.conf'];

const clientUrl = (n: LabNode) => `http://${n.ip}:${SERVICE_PORTS.etcd}`;
const peerMember = (n: LabNode) => `${n.name}=http://${n.ip}:${SERVICE_PORTS.etcdPeer}`;

function etcdView(spec: LabSpec, node: LabNode) {
  const incremental = spec.etcd.bootstrap === 'incremental';
  const before = spec.nodes.filter((n) => n.index < node.index);
  const members = incremental ? [...before, node] : spec.nodes;
  let incrementalNote = '';
  if (incremental) {
    incrementalNote =
      node.index === 1
        ? `${node.name} starts alone as a new one-member cluster; the next nodes join it one at a time.`
        : `20-etcd.sh runs \`etcdctl member add ${node.name} --peer-urls=http://${node.ip}:${SERVICE_PORTS.etcdPeer}\` on ${before.map((n) => n.name).join(', ')} ` +
          'BEFORE this member starts (the document runs it after, which etcd refuses); then it starts with state existing.';
  }
  return {
    etcd: {
      bootstrap: spec.etcd.bootstrap,
      clusterToken: spec.etcd.clusterToken,
      dataDir: spec.etcd.dataDir,
      initialCluster: members.map(peerMember).join(','),
      initialClusterState: incremental && node.index > 1 ? 'existing' : 'new',
      peers: incremental ? before.map(clientUrl).join(',') : '',
      otherIps: spec.nodes
        .filter((n) => n !== node)
        .map((n) => n.ip)
        .join(' '),
    },
    incrementalNote,
  };
}

function watchdogView(spec: LabSpec) {
  const testing = nodesAreContainers(spec);
  return {
    mode: spec.watchdog.mode,
    enabled: spec.watchdog.mode !== 'off',
    testing,
    driver: testing ? 'testing' : 'softdog',
    device: testing ? TESTING_WATCHDOG_DEVICE : '/dev/watchdog',
    safetyMargin: spec.watchdog.safetyMargin,
    timeout: spec.patroni.ttl - spec.watchdog.safetyMargin,
  };
}

function pgView(spec: LabSpec) {
  const v = spec.postgres.version;
  return {
    version: v,
    packageSource: spec.postgres.packageSource,
    ...pgPaths(v),
    // wal_keep_size replaced wal_keep_segments in PostgreSQL 13; 8 segments of 16 MB = 128 MB.
    walKeepSegments: v < 13 ? 8 : 0,
  };
}

function labView(spec: LabSpec) {
  return {
    name: spec.name,
    size: spec.nodes.length,
    subnet: spec.network.subnet,
    netmask: spec.network.netmask,
    prefixLength: String(spec.network.prefixLength),
    provider: spec.provider,
    ports: SERVICE_PORTS,
    units: UNITS,
    etcdEnvFile: ETCD_ENV_FILE,
  };
}

function nodeEnv(spec: LabSpec, node: LabNode): string {
  return renderTemplate('templates/node.env.hbs', {
    lab: labView(spec),
    node,
    isFirstDefaultNode: node.index === 1,
    pg: pgView(spec),
    etcd: etcdView(spec, node).etcd,
    watchdog: watchdogView(spec),
    patroni: spec.patroni,
    bin: SERVICE_BINARIES,
    backup: spec.backup
      ? { stanza: spec.backup.stanza, unit: BACKUP_UNITS.server, port: BACKUP_PORTS.tlsServer, paths: PGBACKREST_PATHS }
      : null,
  });
}

/** The drop-ins that decide how etcd and Patroni start, over whatever unit the packages installed. */
function etcdDropIn(): string {
  return renderTemplate('templates/etcd-dropin.conf.hbs', { etcdBin: SERVICE_BINARIES.etcd, envFile: ETCD_ENV_FILE });
}

function patroniDropIn(spec: LabSpec): string {
  return renderTemplate('templates/patroni-dropin.conf.hbs', {
    configPath: spec.patroni.configPath,
    patroniBin: SERVICE_BINARIES.patroni,
    watchdog: spec.watchdog.mode !== 'off',
    // Vagrant may start its machines one at a time (VirtualBox, `vagrant up --no-parallel`).
    simple: spec.provider !== 'docker',
  });
}

/** The image Vagrant's docker provider builds and boots instead of a box. */
function vagrantDockerfile(spec: LabSpec): string {
  return renderTemplate('templates/vagrant-docker.Dockerfile.hbs', {
    baseImage: spec.docker.baseImage,
    packages: [...NODE_OS_PACKAGES, 'openssh-server'].join(' '),
    stopSignal: SYSTEMD_CONTAINER.stopSignal,
  });
}

function etcdEnv(spec: LabSpec, node: LabNode): string {
  return renderTemplate('templates/etcd.env.hbs', { lab: labView(spec), node, ...etcdView(spec, node) });
}

/** Client authentication: peer for local OS users, passwords (scram) from localhost and the lab network, nothing wider. */
function pgHba(spec: LabSpec): string[] {
  const subnet = spec.network.subnet;
  return [
    'local all all peer',
    'host all all 127.0.0.1/32 scram-sha-256',
    'host replication replicator 127.0.0.1/32 scram-sha-256',
    `host replication replicator ${subnet} scram-sha-256`,
    `host all all ${subnet} scram-sha-256`,
  ];
}

function patroniYml(spec: LabSpec, node: LabNode, secrets: LabSecrets): string {
  return renderTemplate('templates/patroni.yml.hbs', {
    lab: labView(spec),
    node,
    secrets,
    etcdHosts: spec.nodes.map((n) => `${n.ip}:${SERVICE_PORTS.etcd}`),
    pgHba: pgHba(spec),
    patroni: spec.patroni,
    pg: pgView(spec),
    watchdog: watchdogView(spec),
    backup: spec.backup ? patroniBackupView(spec.backup) : null,
  });
}

type HaproxySpec = NonNullable<EntrySpec['haproxy']>;

/** The HAProxy node's files: its step's parameters, haproxy.cfg and, with entry.pgbouncer, PgBouncer's. */
function entryFiles(
  spec: LabSpec,
  haproxy: HaproxySpec,
  pgbouncer: EntrySpec['pgbouncer'],
  secrets: LabSecrets,
): [string, string, number][] {
  const dir = `entry/${haproxy.name}`;
  const ports = ENTRY_PORTS;
  const listening = [ports.readWrite, ports.readOnly, ports.stats, ...(pgbouncer ? [ports.pgbouncer] : [])];
  const env = renderTemplate('templates/entry.env.hbs', {
    lab: labView(spec),
    pg: pgView(spec),
    script: ENTRY_SCRIPT.script,
    haproxy,
    units: ENTRY_UNITS,
    pgbouncer: Boolean(pgbouncer),
    listening: listening.join(' '),
  });
  const haproxyCfg = renderTemplate('templates/haproxy.cfg.hbs', {
    lab: labView(spec),
    ports,
    haproxy,
    riseMs: (haproxy.rise - 1) * haproxy.fastinter,
    fallMs: haproxy.inter + (haproxy.fall - 1) * haproxy.fastinter,
    nodes: spec.nodes,
  });
  const files: [string, string, number][] = [
    [`${dir}/entry.env`, env, 0o644],
    [`${dir}/haproxy.cfg`, haproxyCfg, 0o644],
  ];
  if (pgbouncer) {
    files.push([
      `${dir}/pgbouncer.ini`,
      renderTemplate('templates/pgbouncer.ini.hbs', { lab: labView(spec), ports, pgbouncer }),
      0o644,
    ]);
    // PgBouncer answers SCRAM itself from the plain password, and logs in to PostgreSQL with it.
    files.push([`${dir}/userlist.txt`, `${JSON.stringify('postgres')} ${JSON.stringify(secrets.superuserPassword)}\n`, 0o600]);
  }
  return files;
}

function vagrantfile(spec: LabSpec): string {
  return renderTemplate('Vagrantfile.hbs', {
    lab: labView(spec),
    pg: pgView(spec),
    vm: spec.vm,
    docker: { baseImage: spec.docker.baseImage, createArgs: nodeContainerFlags() },
    vboxNote: spec.vm.provider === 'virtualbox' && !subnetWithin(spec.network.subnet, VBOX_DEFAULT_RANGE),
    vboxDefaultRange: VBOX_DEFAULT_RANGE,
    nodes: spec.nodes.map((n, i) => ({
      name: n.name,
      ip: n.ip,
      index: n.index,
      first: i === 0,
      last: i === spec.nodes.length - 1,
      vmName: `${spec.name}-${n.name}`,
      scripts: PROVISION_SCRIPTS.map((s) => ({
        name: s.script.replace(/\.sh$/, ''),
        command: scriptCommand(s, n.name).join(' '),
      })),
    })),
    haproxy: spec.entry?.haproxy
      ? {
          name: spec.entry.haproxy.name,
          ip: spec.entry.haproxy.ip,
          vmName: `${spec.name}-${spec.entry.haproxy.name}`,
          script: {
            name: ENTRY_SCRIPT.script.replace(/\.sh$/, ''),
            command: entryScriptCommand(spec.entry.haproxy.name).join(' '),
          },
        }
      : null,
  });
}

function labWatchdogUnit(spec: LabSpec): string {
  // After a reset by the emulator, Patroni waits about as long as a machine takes to reboot, and at
  // least until its leader key has expired: safety_margin after the watchdog fires, or up to a whole
  // ttl later when the reset node was also etcd's leader (a new etcd leader renews every lease).
  // Seen in containers: back after 3 s, the node took its own unexpired key again.
  const bootDelay = spec.patroni.ttl + spec.patroni.loopWait;
  return renderTemplate('templates/lab-watchdog.service.hbs', {
    units: UNITS,
    device: TESTING_WATCHDOG_DEVICE,
    timeout: spec.patroni.ttl - spec.watchdog.safetyMargin,
    bootDelay,
    startTimeout: bootDelay + 60,
  });
}

/** Step 10's parameters alone, for running it while building a node image. */
function packagesEnv(spec: LabSpec): string {
  return renderTemplate('templates/packages.env.hbs', {
    lab: labView(spec),
    pg: pgView(spec),
    mount: LAB_MOUNT,
    script: PACKAGES_SCRIPT.script,
  });
}

/** Renders every file of the lab. Pure: same spec and secrets, same result. */
export function renderLab(spec: LabSpec, secrets: LabSecrets): RenderedLab {
  const files: RenderedLab = new Map<string, RenderedFile>();
  const add = (path: string, content: string, mode = 0o644) => files.set(path, { content, mode });

  add('Vagrantfile', vagrantfile(spec));
  add('docker/Dockerfile', vagrantDockerfile(spec));
  for (const f of PROVISION_FILES) add(`provision/${f.name}`, packageFile(`provision/${f.name}`), f.mode);
  add('provision/packages.env', packagesEnv(spec));
  for (const f of STATIC_FILES) add(`files/${f}`, packageFile(`templates/files/${f}`));
  add(`files/${UNITS.watchdog}`, labWatchdogUnit(spec));
  add(`files/${UNITS.patroni}`, packageFile('templates/files/patroni.service'));
  add('files/patroni-lab-watchdog.conf', renderTemplate('templates/patroni-lab-watchdog.conf.hbs', { units: UNITS }));
  add(`files/${UNITS.etcd}.conf`, etcdDropIn());
  add(`files/${UNITS.patroni}.conf`, patroniDropIn(spec));
  for (const node of spec.nodes) {
    add(`nodes/${node.name}/node.env`, nodeEnv(spec, node));
    add(`nodes/${node.name}/etcd.env`, etcdEnv(spec, node));
    add(`nodes/${node.name}/patroni.yml`, patroniYml(spec, node, secrets), 0o600);
  }
  if (spec.entry?.haproxy) {
    for (const [path, content, mode] of entryFiles(spec, spec.entry.haproxy, spec.entry.pgbouncer, secrets))
      add(path, content, mode);
  }
  if (spec.backup) {
    if (!secrets.backupTls)
      throw new Error('renderLab: a lab with backup: needs secrets.backupTls (labdir/generate.ts makes them)');
    add(`files/${BACKUP_UNITS.server}`, packageFile(`templates/files/${BACKUP_UNITS.server}`));
    for (const node of spec.nodes) add(`nodes/${node.name}/pgbackrest.conf`, nodePgbackrestConf(spec, spec.backup, node));
    for (const [path, content, mode] of [...backupMachineFiles(spec, spec.backup), ...tlsFiles(secrets.backupTls)])
      add(path, content, mode);
  }
  return files;
}
