/** Handouts: how to connect, the seat's addresses and password, the exercises left at its stage, the fixes, the checkpoints. */
import t from 'tap';
import { validateSpec } from '../../lab/spec/load.js';
import { exerciseScripts, renderIndex, renderSeatHandout, type HandoutSeat } from '../../lab/workshop/handout.js';

const spec = validateSpec({ name: 'cls-s02', provider: 'docker', network: { subnet: '10.100.2.0/24' } }).spec!;
const seat = (stage: HandoutSeat['stage']): HandoutSeat => ({ id: 's02', workshop: 'cls', stage, engine: 'two', host: '127.0.0.1', port: 2202, password: 'pw<&>', spec });

t.test('exercises follow the stage', async (t) => {
  t.same(exerciseScripts('packages').map((s) => s.name), ['etcd', 'watchdog', 'patroni']);
  t.same(exerciseScripts('etcd').map((s) => s.name), ['watchdog', 'patroni']);
  t.same(exerciseScripts('full'), []);
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
