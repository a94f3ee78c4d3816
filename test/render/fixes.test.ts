/**
 * Each mistake of the Percona how-to (DESIGN.md) shown absent from the generated lab, and the
 * variants (package source, etcd bootstrap, watchdog driver, synchronous mode) shown in the output.
 */
import t from 'tap';
import { parse } from 'yaml';
import { DOCUMENT_FIXES, renderLab, type LabSecrets, type RenderedLab } from '../../lab/render/index.js';
import { CASES, FIXED_SECRETS, specOf } from './helpers.js';

const render = (input: unknown, secrets: LabSecrets = FIXED_SECRETS) => renderLab(specOf(input), secrets);
const text = (files: RenderedLab, path: string): string => {
  const f = files.get(path);
  if (!f) throw new Error(`not rendered: ${path}`);
  return f.content;
};
/** Lines that are not comments (bash, env, YAML, Ruby all use #). */
const code = (s: string) =>
  s
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
/** KEY=value pairs of an env file, quotes removed. */
const envOf = (s: string): Record<string, string> =>
  Object.fromEntries(
    code(s)
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => {
        const i = l.indexOf('=');
        return [l.slice(0, i), l.slice(i + 1).replace(/^(['"])(.*)\1$/, '$2')];
      }),
  );

const def = render({});
const incremental = render({ etcd: { bootstrap: 'incremental' } });

t.test('DOCUMENT_FIXES lists the nine mistakes of DESIGN.md', async (t) => {
  t.equal(DOCUMENT_FIXES.length, 9);
  t.equal(new Set(DOCUMENT_FIXES.map((f) => f.id)).size, 9, 'ids are unique');
  for (const f of DOCUMENT_FIXES) {
    t.ok(f.mistake.length > 20 && f.fix.length > 20, `${f.id} says what and how`);
    t.ok(f.where.length > 0, `${f.id} names where`);
  }
});

t.test('1. node1 has one address, from lab.yaml', async (t) => {
  const all = [...def.values()].map((f) => code(f.content)).join('\n');
  t.notMatch(all, /172\.16\.7\.90/, 'the stray 172.16.7.90 is used nowhere');
  t.equal(envOf(text(def, 'nodes/node1/node.env')).NODE_IP, '192.168.1.11');
  t.match(
    text(def, 'nodes/node1/node.env'),
    /# pgha-lab: the document gives node1 as 172\.16\.7\.90/,
    'comment where a reader looks',
  );
  t.match(text(def, 'Vagrantfile'), /ip: '192\.168\.1\.11'/);
});

t.test('2. ETCD_LISTEN_PEER_URLS spelt right, on its own line', async (t) => {
  for (const files of [def, incremental]) {
    for (const n of ['node1', 'node2', 'node3']) {
      const env = text(files, `nodes/${n}/etcd.env`);
      t.notMatch(code(env), /ETCD_LISTEN PEER_URLS/, `${n}: no "ETCD_LISTEN PEER_URLS"`);
      for (const line of code(env).split('\n').filter(Boolean))
        t.match(line, /^[A-Z_]+="[^"]*"$/, `${n}: one quoted variable per line: ${line}`);
      t.equal(envOf(env).ETCD_LISTEN_PEER_URLS, `http://${envOf(text(files, `nodes/${n}/node.env`)).NODE_IP}:2380`);
      t.match(env, /# pgha-lab: the document writes "ETCD_LISTEN PEER_URLS"/, 'comment');
    }
  }
});

t.test("3. node3's initial cluster has node2 at .12, on one line", async (t) => {
  for (const files of [def, incremental]) {
    const cluster = envOf(text(files, 'nodes/node3/etcd.env')).ETCD_INITIAL_CLUSTER;
    t.equal(cluster, 'node1=http://192.168.1.11:2380,node2=http://192.168.1.12:2380,node3=http://192.168.1.13:2380');
  }
});

t.test('4. incremental: member add before the member starts', async (t) => {
  const script = code(text(incremental, 'provision/20-etcd.sh'));
  const add = script.indexOf('member add "$NODE_NAME"');
  const start = script.indexOf('systemctl start --no-block "$ETCD_UNIT"');
  const restart = script.indexOf('systemctl restart --no-block "$ETCD_UNIT"');
  t.ok(add > 0 && start > 0 && restart > 0, 'both present');
  t.ok(add < start && add < restart, '`etcdctl member add` comes before etcd is started');
  const e = (n: string) => envOf(text(incremental, `nodes/${n}/etcd.env`));
  t.same(
    ['node1', 'node2', 'node3'].map((n) => [e(n).ETCD_INITIAL_CLUSTER_STATE, e(n).ETCD_INITIAL_CLUSTER?.split(',').length]),
    [
      ['new', 1],
      ['existing', 2],
      ['existing', 3],
    ],
    'each node starts with the members before it plus itself',
  );
  t.equal(envOf(text(incremental, 'nodes/node3/node.env')).ETCD_PEERS, 'http://192.168.1.11:2379,http://192.168.1.12:2379');
  t.equal(envOf(text(incremental, 'nodes/node1/node.env')).ETCD_PEERS, '');
  t.match(text(incremental, 'nodes/node2/etcd.env'), /member add node2 .* BEFORE this member starts/);
  // static: all members known to all, state new
  for (const n of ['node1', 'node2', 'node3']) {
    const s = envOf(text(def, `nodes/${n}/etcd.env`));
    t.equal(s.ETCD_INITIAL_CLUSTER_STATE, 'new');
    t.equal(s.ETCD_INITIAL_CLUSTER?.split(',').length, 3);
  }
});

t.test('5. no stray ~ after values', async (t) => {
  for (const [path, f] of [...def, ...incremental]) {
    if (path.endsWith('.env') || path.endsWith('.yml')) t.notMatch(code(f.content), /\s~\s*$/m, path);
  }
});

t.test('6. ppg-<version> follows postgres.version', async (t) => {
  for (const version of [12, 15, 16, 17, 18]) {
    const files = render({ postgres: { version } });
    const env = envOf(text(files, 'nodes/node1/node.env'));
    t.equal(env.PG_VERSION, String(version));
    t.equal(env.PACKAGE_SOURCE, 'percona');
    const yml = parse(text(files, 'nodes/node1/patroni.yml'));
    t.equal(yml.postgresql.data_dir, `/var/lib/postgresql/${version}/main`);
    t.equal(yml.postgresql.bin_dir, `/usr/lib/postgresql/${version}/bin`);
    t.ok(
      version >= 13
        ? yml.bootstrap.dcs.postgresql.parameters.wal_keep_size
        : yml.bootstrap.dcs.postgresql.parameters.wal_keep_segments,
      'wal_keep for the version',
    );
  }
  const packages = code(text(def, 'provision/10-packages.sh'));
  t.match(packages, /percona_repository "\$PG_VERSION"/, 'the repository of postgres.version');
  t.match(code(text(def, 'provision/lib.sh')), /percona-release setup -y "ppg-\$version"/, 'lib.sh sets it up');
  t.match(packages, /"percona-postgresql-\$PG_VERSION"/);
  t.notMatch(packages, /ppg-12|postgresql-12/, 'no hard-coded 12');
  t.equal(envOf(text(def, 'nodes/node1/node.env')).PG_VERSION, '16', 'the page is for 16: the default');
  t.match(packages, /"postgresql-\$PG_VERSION" patroni/, 'distro: the OS package of the version');
  t.match(
    packages,
    /is not available from the OS's repositories: \$os ships PostgreSQL/,
    'distro: names the version the OS ships',
  );
});

t.test('7. softdog loaded now, blacklist removed, Patroni watchdog enabled', async (t) => {
  const wd = code(text(def, 'provision/30-watchdog.sh'));
  t.match(wd, /modprobe softdog/, 'loaded now');
  t.match(wd, /\/etc\/modules-load\.d\/softdog\.conf/, 'and at boot');
  t.match(wd, /sed -i -E "\/\$blacklist\/d"/, 'blacklist lines deleted');
  t.match(wd, /\/lib\/modprobe\.d\/\*\.conf \/etc\/modprobe\.d\/\*\.conf/);
  t.match(wd, /udevadm trigger/);
  t.match(wd, /chown postgres:postgres "\$WATCHDOG_DEVICE"/, '/dev/watchdog owned by postgres now');
  t.equal(
    code(text(def, 'files/61-watchdog.rules')).trim(),
    'KERNEL=="watchdog", OWNER="postgres", GROUP="postgres", MODE="0600"',
  );
  const yml = parse(text(def, 'nodes/node1/patroni.yml'));
  t.same(yml.watchdog, { mode: 'automatic', device: '/dev/watchdog', safety_margin: 5 }, 'VMs: softdog at /dev/watchdog');
  t.same(envOf(text(def, 'nodes/node1/node.env')).WATCHDOG_DRIVER, 'softdog');
  const docker = render({ provider: 'docker', watchdog: { mode: 'required' } });
  t.same(
    parse(text(docker, 'nodes/node2/patroni.yml')).watchdog,
    { mode: 'required', driver: 'testing', device: '/run/lab-watchdog', safety_margin: 5 },
    'containers: the emulator FIFO',
  );
  t.same(envOf(text(docker, 'nodes/node2/node.env')).WATCHDOG_DRIVER, 'testing');
  t.match(text(docker, 'files/lab-watchdog.service'), /ExecStart=\/usr\/local\/sbin\/lab-watchdog run \/run\/lab-watchdog/);
  t.match(text(docker, 'files/patroni-lab-watchdog.conf'), /Requires=lab-watchdog\.service\nAfter=lab-watchdog\.service/);
  const off = render({ watchdog: { mode: 'off' } });
  t.same(parse(text(off, 'nodes/node1/patroni.yml')).watchdog, { mode: 'off' });
});

t.test('8. Patroni configuration complete, postgresql service disabled', async (t) => {
  const packages = code(text(def, 'provision/10-packages.sh'));
  t.match(packages, /unit_disable "\$PG_PACKAGE_UNIT"/);
  t.equal(envOf(text(def, 'nodes/node1/node.env')).PG_PACKAGE_UNIT, 'postgresql.service', "the package's own PostgreSQL unit");
  t.match(code(text(def, 'provision/lib.sh')), /systemctl disable "\$1"/);
  t.match(packages, /pg_dropcluster --stop "\$PG_VERSION" main/);
  t.match(packages, /unit_disable "\$ETCD_UNIT"/, 'the packaged etcd too');
  const yml = parse(text(def, 'nodes/node2/patroni.yml'));
  t.equal(yml.scope, 'pgha');
  t.equal(yml.namespace, '/service/');
  t.equal(yml.name, 'node2');
  t.same(yml.restapi.listen, '0.0.0.0:8008');
  t.same(yml.restapi.connect_address, '192.168.1.12:8008');
  t.same(yml.etcd3.hosts, ['192.168.1.11:2379', '192.168.1.12:2379', '192.168.1.13:2379']);
  t.same(yml.bootstrap.dcs.postgresql.use_pg_rewind, true);
  t.same(yml.bootstrap.dcs.maximum_lag_on_failover, 1048576);
  t.same(yml.bootstrap.initdb, [{ encoding: 'UTF8' }, 'data-checksums']);
  t.same(yml.postgresql.connect_address, '192.168.1.12:5432');
  t.equal(def.get('nodes/node2/patroni.yml')?.mode, 0o600, 'patroni.yml is 0600');
  for (const rule of [...yml.postgresql.pg_hba, ...yml.bootstrap.pg_hba] as string[]) {
    t.ok(
      rule.startsWith('local ') || / (127\.0\.0\.1\/32|192\.168\.1\.0\/24) scram-sha-256$/.test(rule),
      `pg_hba no wider than the lab: ${rule}`,
    );
  }
});

t.test('9. no sample passwords: the secrets given, nothing else', async (t) => {
  const secrets: LabSecrets = {
    superuserPassword: 'S"1\\x',
    replicationPassword: "R'2 #",
    rewindPassword: 'W: 3',
    restApiPassword: 'A{{4}}',
  };
  const yml = parse(text(render({}, secrets), 'nodes/node1/patroni.yml'));
  t.equal(yml.postgresql.authentication.superuser.password, secrets.superuserPassword, 'quoting survives any character');
  t.equal(yml.postgresql.authentication.replication.password, secrets.replicationPassword);
  t.equal(yml.postgresql.authentication.rewind.password, secrets.rewindPassword);
  t.equal(yml.restapi.authentication.password, secrets.restApiPassword);
  const all = [...def.values()].map((f) => f.content).join('\n');
  for (const sample of ['secretpassword', 'qaz123', 'password123', 'rep-pass', 'zalando', 'admin%'])
    t.notMatch(all, sample, `no sample password ${sample}`);
});

t.test("the HAProxy node's packages come from the lab's package source", async (t) => {
  for (const packageSource of ['percona', 'distro'] as const) {
    const files = render({
      provider: 'docker',
      postgres: { version: 17, packageSource },
      entry: { pgbouncer: { enabled: true } },
    });
    const env = envOf(text(files, 'entry/haproxy/entry.env'));
    t.equal(env.PACKAGE_SOURCE, packageSource, `${packageSource}: entry.env names the package source`);
    t.equal(env.PG_VERSION, '17', `${packageSource}: and the version whose Percona repository it sets up`);
    t.equal(
      envOf(text(files, 'provision/packages.env')).PACKAGE_SOURCE,
      packageSource,
      `${packageSource}: the same source as the nodes`,
    );
  }
  const entry = code(text(def, 'provision/50-entry.sh'));
  const branch = (source: string) => new RegExp(`\\n\\s*${source}\\)\\n([\\s\\S]*?);;`).exec(entry)?.[1] ?? '';
  t.match(branch('percona'), /percona_repository "\$PG_VERSION"/, "percona: the nodes' repository, set up by lib.sh");
  t.match(
    branch('percona'),
    /HAPROXY_PACKAGE=percona-haproxy PGBOUNCER_PACKAGE=percona-pgbouncer/,
    "percona: Percona's packages",
  );
  t.match(branch('distro'), /HAPROXY_PACKAGE=haproxy PGBOUNCER_PACKAGE=pgbouncer/, "distro: the OS's packages");
  t.notMatch(branch('distro'), /percona/, 'distro: nothing of Percona');
  t.match(entry, /apt_install "\$\{want\[@\]\}"/, 'installed through apt_install: nothing reinstalled when present');
});

t.test('variants: package source, bootstrap, driver, synchronous mode, size, subnet', async (t) => {
  const distro = render({ provider: 'docker', postgres: { version: 15, packageSource: 'distro' } });
  t.equal(envOf(text(distro, 'nodes/node1/node.env')).PACKAGE_SOURCE, 'distro');
  t.equal(text(distro, 'provision/packages.env').match(/PACKAGE_SOURCE='distro'/)?.length, 1, 'packages.env for image builds');
  const sync = parse(text(render(CASES['sync-libvirt-pg12']), 'nodes/node1/patroni.yml'));
  t.equal(sync.bootstrap.dcs.synchronous_mode, true);
  t.equal(sync.bootstrap.dcs.failsafe_mode, true);
  t.equal(parse(text(def, 'nodes/node1/patroni.yml')).bootstrap.dcs.synchronous_mode, false);
  t.match(text(render(CASES['sync-libvirt-pg12']), 'Vagrantfile'), /type: 'rsync'/, 'libvirt: rsync synced folder');
  t.equal(envOf(text(render(CASES['sync-libvirt-pg12']), 'nodes/node1/node.env')).PATRONI_CONFIG, '/etc/patroni/patroni.yml');
  const five = render(CASES['five-nodes-10.20']);
  t.same(
    [1, 2, 3, 4, 5].map((i) => envOf(text(five, `nodes/node${i}/node.env`)).NODE_IP),
    ['10.20.0.11', '10.20.0.12', '10.20.0.13', '10.20.0.14', '10.20.0.15'],
  );
  const five3 = parse(text(five, 'nodes/node3/patroni.yml'));
  t.equal(five3.etcd3.hosts.length, 5);
  t.ok((five3.postgresql.pg_hba as string[]).includes('host all all 10.20.0.0/24 scram-sha-256'));
  t.equal((text(five, 'Vagrantfile').match(/config\.vm\.define/g) ?? []).length, 6, 'five nodes and the HAProxy node (entry:)');
  t.match(
    text(five, 'Vagrantfile'),
    /config\.vm\.define 'haproxy' do[\s\S]*ip: '10\.20\.0\.16'[\s\S]*provision\/50-entry\.sh \/vagrant\/entry\/haproxy\/entry\.env/,
    'the HAProxy machine after the nodes, at the next address, with its one step',
  );
  const order = [...text(five, 'Vagrantfile').matchAll(/config\.vm\.define '(node\d)'/g)].map((m) => m[1]);
  t.same(order, ['node1', 'node2', 'node3', 'node4', 'node5'], 'machines in node order');
  const steps = [
    ...text(five, 'Vagrantfile').matchAll(
      /inline: 'bash \/vagrant\/provision\/(\d\d-[\w-]+)\.sh \/vagrant\/nodes\/node4\/node\.env'/g,
    ),
  ].map((m) => m[1]);
  t.same(
    steps,
    ['10-packages', '20-etcd', '30-watchdog', '35-pgbackrest', '40-patroni'],
    'the five steps, in order, with the node env (35 does nothing without backup:)',
  );
});
