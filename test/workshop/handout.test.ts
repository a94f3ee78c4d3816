/** Handouts: how to connect, the seat's addresses and password, the exercises left at its stage, the fixes, the checkpoints. */
import t from 'tap';
import { validateSpec } from '../../lab/spec/parse.js';
import { seatExercises } from '../../lab/workshop/exercises.js';
import { renderIndex, renderSeatHandout, type HandoutSeat } from '../../lab/workshop/handout.js';

const spec = validateSpec({ name: 'cls-s02', provider: 'docker', network: { subnet: '10.100.2.0/24' } }).spec!;
const seat = (stage: HandoutSeat['stage']): HandoutSeat => ({
  id: 's02',
  workshop: 'cls',
  stage,
  engine: 'two',
  host: '127.0.0.1',
  port: 2202,
  password: 'pw<&>',
  spec,
});

t.test('a seat page in Markdown and HTML', async (t) => {
  const page = renderSeatHandout(seat('packages'));
  t.match(page.markdown, 'ssh root@127.0.0.1 -p 2202');
  t.match(page.markdown, '# password: pw<&>');
  t.match(page.markdown, 'node2: 10.100.2.12');
  t.match(page.markdown, '## Exercise 1: Form the etcd cluster');
  t.match(page.markdown, 'ssh node3 bash /vagrant/provision/20-etcd.sh /vagrant/nodes/node3/node.env');
  t.match(page.markdown, 'ETCD_LISTEN PEER_URLS', "the document's etcd mistakes, with their fixes");
  t.match(page.markdown, 'etcd cluster formed');
  t.match(page.html, 'pw&lt;&amp;&gt;', 'HTML escapes what it shows');
  t.notMatch(page.html, 'pw<&>');
  t.match(renderSeatHandout(seat('full')).markdown, 'break it on purpose');
  const index = renderIndex('cls', [seat('packages')]);
  t.match(index.markdown, '| [s02](s02.md) | two | ssh root@127.0.0.1 -p 2202 |');
  t.match(index.html, '<a href="s02.html">s02</a>');
});

t.test('every exercise on the page: each step with its node, its commands, check, checkpoints and fallback', async (t) => {
  for (const stage of ['packages', 'etcd', 'full'] as const) {
    const md = renderSeatHandout(seat(stage)).markdown;
    const exercises = seatExercises(stage, spec);
    exercises.forEach((ex, i) => {
      t.match(md, `## Exercise ${i + 1}: ${ex.title}\n`, `${stage}: numbered from 1`);
      for (const step of ex.steps)
        t.match(md, '```sh\n' + step.commands.join('\n') + '\n```', `${stage} ${ex.id}: ${step.node}'s commands`);
      t.match(md, `Check (on node1): \`${ex.check}\``);
      if (ex.fallback) t.match(md, ex.fallback.join('\n'));
    });
  }
  t.match(renderSeatHandout(seat('packages')).markdown, 'On node2 (from node1: `ssh node2`):');
});

t.test('a seat from the etcd stage on starts at the watchdog; the free exercises come once the lab is whole', async (t) => {
  const md = renderSeatHandout(seat('etcd')).markdown;
  t.match(md, '## Exercise 1: Set up the watchdog');
  t.match(md, '## Exercise 2: Start Patroni on every node');
  t.match(md, '## Exercise 3: Fail the leader over');
  t.notMatch(md, 'Form the etcd cluster', 'done already at this stage');
  t.notMatch(md, 'break it on purpose');
  t.match(renderSeatHandout(seat('full')).markdown, '## Exercise 1: Fail the leader over');
  t.ok(md.startsWith('# Seat s02 of workshop cls\n\n## Connect\n'), 'the title, then sections');
});

t.test("the page names the seat's package source and PostgreSQL version", async (t) => {
  const distro = validateSpec({
    name: 'cls-s02',
    provider: 'docker',
    network: { subnet: '10.100.2.0/24' },
    postgres: { version: 17, packageSource: 'distro' },
  }).spec!;
  const md = renderSeatHandout({ ...seat('packages'), spec: distro }).markdown;
  t.match(md, "the operating system's own packages: PostgreSQL 17 (postgresql-17)");
  t.notMatch(md, 'percona-release setup', 'no Percona repository on a distro seat');
  t.notMatch(md, /\b16\b/, 'nor the default version');
  t.match(md, 'rm -rf /var/lib/postgresql/17/main');
  t.notMatch(md, '10-lab-config.conf', "Debian's units need no drop-in");
  const percona = renderSeatHandout(seat('packages')).markdown;
  t.match(percona, '`percona-release setup ppg-16` and `percona-postgresql-16`');
  t.match(percona, "Percona's etcd unit reads no /etc/default/etcd");
  t.match(percona, '/etc/systemd/system/patroni.service.d/10-lab-config.conf');
});

t.test('every page lists the seat, its nodes and the checkpoints', async (t) => {
  for (const stage of ['packages', 'etcd', 'full'] as const) {
    const md = renderSeatHandout(seat(stage)).markdown;
    t.match(md, `starting stage: ${stage}`);
    t.match(md, 'network 10.100.2.0/24 (yours alone');
    for (const [name, ip] of [
      ['node1', '10.100.2.11'],
      ['node3', '10.100.2.13'],
    ])
      t.match(md, `- ${name}: ${ip}`);
    t.match(md, '## Checkpoints');
    t.match(md, 'a failover survived');
  }
});

t.test('HTML: one h1, code blocks and inline code escaped', async (t) => {
  const html = renderSeatHandout(seat('packages')).html;
  t.equal(html.match(/<h1>/g)?.length, 1);
  t.match(html, '<pre><code>ssh root@127.0.0.1 -p 2202\n# password: pw&lt;&amp;&gt;</code></pre>');
  t.match(html, '<code>etcdctl member list &amp;&amp; etcdctl endpoint health --cluster</code>');
  t.match(html, /^<!doctype html>/);
});

t.test("the trainer's index: one row per seat, in the order given", async (t) => {
  const other: HandoutSeat = { ...seat('full'), id: 's03', port: 2203, password: 'x"y' };
  const index = renderIndex('cls', [seat('packages'), other]);
  t.match(index.markdown, '# Workshop cls: 2 seats');
  t.same(
    index.markdown
      .split('\n')
      .filter((l) => l.startsWith('| ['))
      .map((l) => l.slice(0, 8)),
    ['| [s02](', '| [s03]('],
  );
  t.match(index.html, '<td>x&quot;y</td>', 'a password shown escaped');
  t.equal(index.html.match(/<tr>/g)?.length, 3, 'a header and two seats');
});
