/**
 * The lab's drop-ins decide how etcd and Patroni start, whichever package installed their units.
 * One lab is brought up for real twice: with the units Debian's packages install (etcd reads
 * /etc/default/etcd, Patroni is Type=simple), then, wiped, with units in the form Percona's packaging
 * gives them: etcd started with `--config-file /etc/etcd/etcd.conf.yaml` (an example whose every line
 * is commented out) and no environment file, as root; Patroni 4.1's own unit, Type=notify, reading
 * /etc/patroni/patroni.yml. Both must give the same healthy lab.
 */
import t from 'tap';
import { bringUp } from '../../lab/cluster/readiness.js';
import { NODE_STEPS } from '../../lab/providers/docker/provision.js';
import { stepCommand } from '../../lab/render/index.js';
import { createTestLab, leftovers, requireEngine, type TestLab } from './docker-harness.js';

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

async function sh(lab: TestLab, node: string, script: string): Promise<string> {
  const r = await lab.provider.exec(node, ['bash', '-c', script], { timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new Error(`${node}: \`${script}\` failed (exit ${r.exitCode}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** What systemd runs for a unit: where the unit file is, its type, its command line, its environment files. */
async function unitOf(lab: TestLab, node: string, unit: string): Promise<Record<string, string>> {
  const text = await sh(lab, node, `systemctl show ${unit} -p FragmentPath -p Type -p ExecStart -p EnvironmentFiles -p DropInPaths`);
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

async function provisionAgain(lab: TestLab): Promise<void> {
  for (const step of NODE_STEPS) {
    await Promise.all(
      lab.ctx.spec.nodes.map(async (n) => {
        const r = await lab.provider.exec(n.name, stepCommand(step, n.name), { timeoutMs: 600_000 });
        if (r.exitCode !== 0) throw new Error(`${n.name}: ${step.script} failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
      }),
    );
  }
}

t.test("Debian's units and Percona's start the same lab", { timeout: 1_200_000 }, async (t) => {
  await requireEngine();
  const lab = await createTestLab('docker-lab-units.yaml');
  t.teardown(lab.destroy);
  const nodes = lab.ctx.spec.nodes.map((n) => n.name);
  const config = lab.ctx.spec.patroni.configPath;

  await bringUp(lab.provider, lab.ctx, { healthyTimeoutMs: 240_000 });
  const debian = await lab.health();
  t.ok(debian.healthy, `healthy with Debian's units: ${debian.problems.join('; ')}`);
  t.same([...(debian.etcdMembers ?? [])].sort(), nodes, "every node is a member of one etcd cluster");
  for (const node of nodes) {
    const etcd = await unitOf(lab, node, 'etcd');
    t.match(etcd.FragmentPath, /^\/(usr\/)?lib\/systemd\/system\/etcd\.service$/, `${node}: etcd runs Debian's unit`);
    t.match(etcd.ExecStart, /argv\[\]=\/usr\/bin\/etcd ;/, `${node}: etcd runs as the drop-in says, without arguments`);
    t.equal(etcd.EnvironmentFiles, '/etc/default/etcd (ignore_errors=no)', `${node}: and reads only the lab's environment file`);
    const patroni = await unitOf(lab, node, 'patroni');
    t.equal(patroni.Type, 'simple', `${node}: Patroni is Type=simple`);
    t.match(patroni.ExecStart, new RegExp(`argv\\[\\]=/usr/bin/patroni ${config} ;`), `${node}: with the lab's configuration`);
  }

  // The same containers, wiped, with the Percona packaging's form of the units in /etc/systemd/system
  // (which takes precedence over the packages' own), then provisioned again from step 20.
  await Promise.all(
    nodes.map((node) =>
      sh(
        lab,
        node,
        [
          'systemctl stop patroni etcd',
          `rm -rf ${lab.ctx.spec.etcd.dataDir} /var/lib/postgresql/${lab.ctx.spec.postgres.version}/main`,
          'mkdir -p /etc/etcd',
          `cat >/etc/systemd/system/etcd.service <<'EOF'\n${PERCONA_FORM_ETCD_UNIT}EOF`,
          `cat >/etc/etcd/etcd.conf.yaml <<'EOF'\n${PERCONA_FORM_ETCD_CONFIG}EOF`,
          `cat >/etc/systemd/system/patroni.service <<'EOF'\n${PATRONI_41_UNIT}EOF`,
          'systemctl daemon-reload',
        ].join('\n'),
      ),
    ),
  );
  await provisionAgain(lab);
  const percona = await lab.waitHealthy(240_000);
  t.ok(percona.healthy, `healthy with the Percona packaging's units: ${percona.problems.join('; ')}`);
  t.same([...(percona.etcdMembers ?? [])].sort(), nodes, 'one etcd cluster of every node, not a lone etcd per node');
  for (const node of nodes) {
    const etcd = await unitOf(lab, node, 'etcd');
    t.equal(etcd.FragmentPath, '/etc/systemd/system/etcd.service', `${node}: etcd runs the Percona form's unit`);
    t.match(etcd.DropInPaths, /etcd\.service\.d\/10-lab-config\.conf/, `${node}: with the lab's drop-in`);
    t.match(etcd.ExecStart, /argv\[\]=\/usr\/bin\/etcd ;/, `${node}: which replaces \`etcd --config-file\``);
    t.equal(etcd.EnvironmentFiles, '/etc/default/etcd (ignore_errors=no)', `${node}: and reads the lab's environment file`);
    const patroni = await unitOf(lab, node, 'patroni');
    t.equal(patroni.FragmentPath, '/etc/systemd/system/patroni.service', `${node}: Patroni runs the 4.1 unit`);
    t.equal(patroni.Type, 'simple', `${node}: as Type=simple, not notify`);
    t.match(patroni.ExecStart, new RegExp(`argv\\[\\]=/usr/bin/patroni ${config} ;`), `${node}: with the lab's configuration, not /etc/patroni/patroni.yml`);
  }

  await lab.provider.down();
  t.same(await leftovers(lab.labId), [], 'nothing with the lab label is left');
});
