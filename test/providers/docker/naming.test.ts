/** How the lab's Docker objects are named and labelled: the label is all `down` trusts. */
import t from 'tap';
import {
  belongsTo,
  containerName,
  labFilter,
  labIdFor,
  labelsFor,
  labSelector,
  networkName,
  selectorFilter,
  selects,
} from '../../../lab/providers/docker/naming.js';

t.test('lab ids, labels and filters', async (t) => {
  const id = labIdFor('dk1', '/home/me/labs/dk1');
  t.match(id, /^dk1-[0-9a-f]{6}$/, 'name plus a short hash of the lab dir');
  t.equal(labIdFor('dk1', '/home/me/labs/dk1'), id, 'stable for one directory');
  t.not(labIdFor('dk1', '/other/checkout/labs/dk1'), id, 'another checkout of the same lab gets another id');
  t.same(labelsFor(id, 'node', 'node2'), { 'pgha-lab.lab': id, 'pgha-lab.role': 'node', 'pgha-lab.node': 'node2' });
  t.same(labFilter(id), { label: [`pgha-lab.lab=${id}`] }, 'the filter names the exact lab id');
  t.same(labFilter(id, 'builder').label, [`pgha-lab.lab=${id}`, 'pgha-lab.role=builder']);
  t.ok(belongsTo(id, { 'pgha-lab.lab': id }));
  t.notOk(belongsTo(id, { 'pgha-lab.lab': `${id}x` }), 'a longer id is another lab');
  t.notOk(belongsTo(id, undefined));
  t.equal(containerName(id, 'node1'), `${id}-node1`, 'container names start with the lab name');
  t.equal(networkName(id), `${id}-net`);
});

t.test('label selectors: the engine filter and the second guard agree', async (t) => {
  const id = 'dk1-abcdef';
  t.same(selectorFilter(labSelector(id, 'builder')), labFilter(id, 'builder'), "a lab's selector lists as its filter does");
  t.same(
    selectorFilter({ 'pgha-lab.role': 'builder', 'pgha-lab.lab': true }),
    { label: ['pgha-lab.role=builder', 'pgha-lab.lab'] },
    'any value: the key alone',
  );
  t.ok(selects(labSelector(id), { 'pgha-lab.lab': id, 'pgha-lab.role': 'node' }), 'extra labels do not matter');
  t.notOk(selects(labSelector(id), { 'pgha-lab.lab': `${id}x` }), 'a longer id is another lab');
  t.notOk(selects(labSelector(id, 'builder'), { 'pgha-lab.lab': id, 'pgha-lab.role': 'node' }), 'another role');
  t.notOk(selects(labSelector(id), null), 'no labels at all');
  t.ok(selects({ 'pgha-lab.lab': true }, { 'pgha-lab.lab': '' }), 'present, even empty');
  t.notOk(selects({ 'pgha-lab.node': (n) => n !== 'node1' }, { 'pgha-lab.lab': id }), 'a test never matches an absent label');
  t.ok(selects({ 'pgha-lab.node': (n) => n !== 'node1' }, { 'pgha-lab.node': 'node4' }));
});
