/** One progress line per seat: what a provider event says, in a few words. */
import t from 'tap';
import { describeEvent, seatLine } from '../../lab/workshop/progress.js';

t.test('seat lines', async (t) => {
  t.equal(seatLine('s02', 'two', 'node1: container ...', 61_300), 's02 [two]  61.3 s  node1: container ...');
  t.equal(describeEvent({ node: 'node2', task: '20-etcd', status: 'fail' }), 'node2: 20-etcd FAILED');
  t.equal(describeEvent({ node: null, task: 'network', status: 'ok', elapsedMs: 200 }), 'network ok');
});
