/** The loader's good paths: defaults reproduce the document, overrides resolve, warnings explain quorum. */
import t from 'tap';
import { parseSpec, validateSpec } from '../../lab/spec/parse.js';
import { pointerToPath } from '../../lab/spec/schema-problems.js';
import { sampleLabYaml } from '../../lab/spec/sample.js';
import { editorJsonSchema } from '../../lab/spec/json-schema.js';

t.test('an empty lab.yaml reproduces the document', async (t) => {
  const { spec, warnings } = parseSpec('');
  t.same(warnings, []);
  t.same(spec.nodes, [
    { name: 'node1', ip: '192.168.1.11', index: 1 },
    { name: 'node2', ip: '192.168.1.12', index: 2 },
    { name: 'node3', ip: '192.168.1.13', index: 3 },
  ]);
  t.equal(spec.network.subnet, '192.168.1.0/24');
  t.equal(spec.network.netmask, '255.255.255.0');
  t.equal(spec.etcd.clusterToken, 'devops_token');
  t.equal(spec.etcd.dataDir, '/var/lib/etcd/postgresql');
  t.equal(spec.patroni.configPath, '/etc/patroni/config.yml');
  t.equal(spec.postgres.version, 16, "the page's version, not the commands' 12");
  t.equal(spec.postgres.packageSource, 'percona');
  t.equal(spec.watchdog.mode, 'automatic');
  t.same([spec.patroni.ttl, spec.patroni.loopWait, spec.patroni.retryTimeout], [30, 10, 10], "Patroni's defaults");
  t.same(spec.vm.boxes, { virtualbox: 'ubuntu/jammy64', libvirt: 'generic/ubuntu2204' }, 'each VM provider boots its own box');
  t.equal(spec.docker.baseImage, 'ubuntu:22.04');
});

t.test('the sample written by lab init parses to the defaults', async (t) => {
  t.same(parseSpec(sampleLabYaml()).spec, parseSpec('').spec);
});

t.test('five nodes on another subnet, libvirt, 24.04', async (t) => {
  const { spec } = parseSpec('size: 5\nnetwork: {subnet: 10.20.0.0/24}\nvm: {provider: libvirt, box: ubuntu-24.04}\n');
  t.same(
    spec.nodes.map((n) => n.ip),
    ['10.20.0.11', '10.20.0.12', '10.20.0.13', '10.20.0.14', '10.20.0.15'],
  );
  t.same(spec.vm.boxes, { virtualbox: 'bento/ubuntu-24.04', libvirt: 'cloud-image/ubuntu-24.04' });
  t.equal(spec.docker.baseImage, 'ubuntu:24.04');
});

t.test("vm.boxName replaces the chosen VM provider's box only", async (t) => {
  const { spec } = parseSpec('vm: {provider: libvirt, boxName: my/box}\n');
  t.same(spec.vm.boxes, { virtualbox: 'ubuntu/jammy64', libvirt: 'my/box' });
});

t.test("Vagrant's docker provider: no box; its OS is docker.baseImage, so distro versions are not Ubuntu's", async (t) => {
  const { spec } = parseSpec(
    'provider: vagrant\nvm: {provider: docker}\ndocker: {baseImage: pgha-lab/base:trixie}\npostgres: {version: 17, packageSource: distro}\n',
  );
  t.equal(spec.vm.provider, 'docker');
  const boxed = validateSpec({ vm: { provider: 'docker', boxName: 'ubuntu/jammy64' } });
  t.same(
    boxed.problems.map((p) => p.path),
    ['vm.boxName'],
    'a box with the docker provider is refused, naming the field',
  );
});

t.test('PostgreSQL 18: from Percona on any OS, from the OS on a forky base', async (t) => {
  t.equal(parseSpec('postgres: {version: 18}\n').spec.postgres.version, 18, "Percona's ppg-18");
  const { spec } = parseSpec(
    'provider: docker\ndocker: {baseImage: pgha-lab/base:forky}\npostgres: {version: 18, packageSource: distro}\n',
  );
  t.equal(spec.docker.baseImage, 'pgha-lab/base:forky');
  t.equal(spec.postgres.version, 18, "forky's own postgresql-18");
});

t.test('explicit nodes set the size', async (t) => {
  const { spec } = parseSpec('nodes:\n  - {name: db-a, ip: 192.168.1.21}\n  - {name: db-b}\n  - {name: db-c}\n');
  t.same(
    spec.nodes.map((n) => `${n.name}@${n.ip}`),
    ['db-a@192.168.1.21', 'db-b@192.168.1.12', 'db-c@192.168.1.13'],
  );
  t.equal(spec.size, 3);
});

t.test('quorum warnings for 1 and even sizes', async (t) => {
  t.match(parseSpec('size: 1').warnings[0], /no failover/);
  t.match(parseSpec('size: 4').warnings[0], /tolerate 1 failure\(s\), the same as 3/);
  t.same(parseSpec('size: 5').warnings, []);
});

t.test('distro packages on docker accept any version (the image decides)', async (t) => {
  t.equal(validateSpec({ provider: 'docker', postgres: { version: 15, packageSource: 'distro' } }).problems.length, 0);
});

t.test('a JSON pointer becomes the path problems name', async (t) => {
  t.equal(pointerToPath('/nodes/2/ip'), 'nodes[2].ip');
});

t.test('strings that reach scripts, unit files and Docker names: their forms pass, nothing that could inject does', async (t) => {
  const at = (path: string, value: string): Record<string, unknown> => {
    const [section, key] = path.split('.') as [string, string];
    return key ? { [section]: { [key]: value } } : { [section]: value };
  };
  const fields: Record<string, { good: string[]; bad: string[] }> = {
    name: { good: ['pgha', 'lab-2', 'a'], bad: ['x; rm -rf /', 'Lab', '2lab', 'lab-', 'a'.repeat(21), ''] },
    'etcd.dataDir': {
      good: ['/var/lib/etcd/postgresql', '/data', '/srv/etcd-1.d/member_a'],
      bad: [
        '../../etc',
        'var/lib/etcd',
        '/',
        '//var/lib',
        '/var//lib',
        '/var/lib/',
        '/var/../etc',
        '/var/./lib',
        '/..',
        '/var/lib/etcd data',
        '/var/$(reboot)',
        '/var/lib`id`',
        "/var/'x'",
        '/var/lib\nExecStart=/bin/sh',
        '/var;reboot',
      ],
    },
    'patroni.configPath': {
      good: ['/etc/patroni/config.yml', '/etc/patroni/patroni.yml'],
      bad: ['config.yml', '/etc/patroni/../shadow', '/etc/patroni/config.yml ', '/etc/patroni/*.yml'],
    },
    'etcd.clusterToken': { good: ['devops_token', 'lab-1.token'], bad: ['a b', 'tok"en', 'tok$en', '', 'x'.repeat(65)] },
    'vm.boxName': {
      good: ['ubuntu/jammy64', 'bento/ubuntu-24.04', 'local-box'],
      bad: ['a/b/c', "box'; system('id')", 'box name', '/abs', ''],
    },
    'docker.baseImage': {
      good: [
        'ubuntu:22.04',
        'pgha-lab/base:trixie',
        'localhost:5000/team/base:1.0',
        `debian@sha256:${'a'.repeat(64)}`,
        'registry.example.com/a/b',
      ],
      bad: ['ubuntu:24.04 --privileged', 'Ubuntu', 'ubuntu;id', 'ubuntu:', '', 'a//b'],
    },
  };
  for (const [path, { good, bad }] of Object.entries(fields)) {
    for (const value of good) t.same(validateSpec(at(path, value)).problems, [], `${path}: ${JSON.stringify(value)} is accepted`);
    for (const value of bad) {
      const problems = validateSpec(at(path, value)).problems;
      t.same(
        problems.map((p) => p.path),
        [path],
        `${path}: ${JSON.stringify(value)} is refused`,
      );
      t.match(problems[0]?.message, /^expected [a-z]/, `${path}: the message says what is allowed`);
    }
  }
  const nodes = (name: string) => ({ nodes: [{ name: 'node1' }, { name }, { name: 'node3' }] });
  t.same(validateSpec(nodes('db-2')).problems, [], 'a node name of the form is accepted');
  for (const name of ['node-', 'Node2', 'node 2', 'node2;id', 'n'.repeat(31)])
    t.same(
      validateSpec(nodes(name)).problems.map((p) => p.path),
      ['nodes[1].name'],
      `node name ${JSON.stringify(name)} is refused`,
    );
});

t.test('the editor schema lets defaulted keys be omitted', async (t) => {
  const schema = editorJsonSchema();
  t.equal(schema.required, undefined, 'no top-level key is required');
  t.equal(schema.additionalProperties, false, 'unknown keys are still flagged');
});

t.test("the editor schema shows each string form's allowed phrase as the pattern's error", async (t) => {
  const etcd = (editorJsonSchema().properties as Record<string, { properties: Record<string, Record<string, unknown>> }>).etcd!;
  t.match(etcd.properties.dataDir!.patternErrorMessage, /^expected an absolute, normalised path/);
});

t.test('entry.haproxy.maxReplicaLag and the check timings: a bad value is refused, naming the field', async (t) => {
  const haproxy = (fields: Record<string, unknown>) => validateSpec({ entry: { haproxy: fields } }).problems;
  for (const good of ['1048576', '16kB', '1MB', '2GB'])
    t.same(haproxy({ maxReplicaLag: good }), [], `maxReplicaLag ${good} is accepted`);
  for (const bad of ['1 MB', '1mb', '-1', '0', '1MB; reboot', '']) {
    const problems = haproxy({ maxReplicaLag: bad });
    t.same(
      problems.map((p) => p.path),
      ['entry.haproxy.maxReplicaLag'],
      `maxReplicaLag ${JSON.stringify(bad)} is refused`,
    );
    t.match(problems[0]?.message, /^expected a WAL size/, 'the message says what is allowed');
  }
  t.same(
    haproxy({ fastinter: 10 }).map((p) => p.path),
    ['entry.haproxy.fastinter'],
    'fastinter below 50 ms is refused',
  );
  t.same(
    haproxy({ downinter: 20_000 }).map((p) => p.path),
    ['entry.haproxy.downinter'],
    'downinter above 10 s is refused',
  );
  t.equal(parseSpec('entry: {haproxy: {maxReplicaLag: 1MB}}').spec.entry?.haproxy?.maxReplicaLag, '1MB');
});

t.test('entry: HAProxy on the address after the last node, libpq on, PgBouncer off', async (t) => {
  t.equal(parseSpec('').spec.entry, null, 'no entry section, no entry points');
  t.same(parseSpec('entry: {}').spec.entry, {
    haproxy: { name: 'haproxy', ip: '192.168.1.14', inter: 500, fastinter: 100, downinter: 200, fall: 3, rise: 2 },
    pgbouncer: null,
    libpq: true,
  });
  const listed = parseSpec(
    'nodes: [{name: a, ip: 192.168.1.21}, {name: b, ip: 192.168.1.30}, {name: c, ip: 192.168.1.25}]\nentry: {pgbouncer: {enabled: true}}',
  ).spec.entry;
  t.equal(listed?.haproxy?.ip, '192.168.1.26', 'the one after the last node listed');
  t.same(listed?.pgbouncer, { poolMode: 'transaction' });
});
