/**
 * The two forms of etcd's and Patroni's systemd units the lab's drop-ins must make equivalent, and
 * how a node's running services are read: Debian's units (etcd reads /etc/default/etcd, Patroni is
 * Type=simple), which the lab's nodes come up with, and units in the form Percona's packaging gives
 * them, written here as that packaging describes them: etcd started with `--config-file
 * /etc/etcd/etcd.conf.yaml` (an example whose every line is commented out) and no environment file,
 * as root; Patroni 4.1's own unit, Type=notify, reading /etc/patroni/patroni.yml.
 */
import type { Provider } from '../../lab/providers/provider.js';
import { ETCD_ENV_FILE, SERVICE_BINARIES, UNITS } from '../../lab/render/node-layout.js';

/** etcd as percona/postgres-packaging's unit (etcd/etcd.service) starts it. */
const PERCONA_FORM_ETCD_UNIT = `[Unit]
Description=etcd, in the form of Percona's packaging
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
WorkingDirectory=/var/lib/etcd/
ExecStart=/bin/bash -c "GOMAXPROCS=$(nproc) /usr/bin/etcd --config-file /etc/etcd/etcd.conf.yaml"
Restart=on-failure
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;

/** The example configuration that packaging installs: nothing set. */
const PERCONA_FORM_ETCD_CONFIG = `# every setting commented out, as in the packaged example
#name: 'pg1'
#initial-cluster: pg1=http://192.168.0.5:2380
#data-dir: /var/lib/etcd
#listen-client-urls: http://192.168.0.5:2379
`;

/** Patroni 4.1's own unit (extras/startup-scripts): Type=notify, an optional environment file. */
const PATRONI_41_UNIT = `[Unit]
Description=Patroni, in the form of its 4.1 unit
After=syslog.target network.target

[Service]
Type=notify
User=postgres
Group=postgres
EnvironmentFile=-/etc/patroni_env.conf
ExecStart=/usr/bin/patroni /etc/patroni/patroni.yml
ExecReload=/bin/kill -s HUP $MAINPID
KillMode=process
TimeoutSec=30
Restart=no

[Install]
WantedBy=multi-user.target
`;

type Exec = Pick<Provider, 'exec'>;

export async function sh(provider: Exec, node: string, script: string): Promise<string> {
  const r = await provider.exec(node, ['bash', '-c', script], { timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new Error(`${node}: \`${script}\` failed (exit ${r.exitCode}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * What systemd runs for a unit (its file, type, command line, environment files, drop-ins) and what
 * runs now: the main process's command line, so a unit changed on disk but not restarted shows.
 */
export async function unitOf(provider: Exec, node: string, unit: string): Promise<Record<string, string>> {
  const text = await sh(
    provider,
    node,
    `systemctl show ${unit} -p FragmentPath -p Type -p ExecStart -p EnvironmentFiles -p DropInPaths -p MainPID; pid=$(systemctl show -p MainPID --value ${unit}); printf 'Running=%s\\n' "$(tr '\\0' ' ' </proc/$pid/cmdline)"`,
  );
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
  );
}

/** Puts the Percona form's units in /etc/systemd/system (which takes precedence over the packages' own) and reloads systemd; nothing restarts. */
export function installPerconaForm(provider: Exec, node: string): Promise<string> {
  return sh(
    provider,
    node,
    [
      'mkdir -p /etc/etcd',
      `cat >/etc/systemd/system/${UNITS.etcd} <<'EOF'\n${PERCONA_FORM_ETCD_UNIT}EOF`,
      `cat >/etc/etcd/etcd.conf.yaml <<'EOF'\n${PERCONA_FORM_ETCD_CONFIG}EOF`,
      `cat >/etc/systemd/system/${UNITS.patroni} <<'EOF'\n${PATRONI_41_UNIT}EOF`,
      'systemctl daemon-reload',
    ].join('\n'),
  );
}

/** What the lab's drop-ins must make of either form: the same etcd and the same Patroni. */
export const THROUGH_DROP_INS = {
  etcdExecStart: new RegExp(`argv\\[\\]=${SERVICE_BINARIES.etcd} ;`),
  etcdRunning: SERVICE_BINARIES.etcd,
  etcdEnvironmentFiles: `${ETCD_ENV_FILE} (ignore_errors=no)`,
  dropIn: (unit: string) => new RegExp(`/etc/systemd/system/${unit.replace('.', '\\.')}\\.d/10-lab-config\\.conf`),
  patroniExecStart: (config: string) => new RegExp(`argv\\[\\]=${SERVICE_BINARIES.patroni} ${config} ;`),
  patroniRunning: (config: string) => new RegExp(`${SERVICE_BINARIES.patroni} ${config}$`),
};
