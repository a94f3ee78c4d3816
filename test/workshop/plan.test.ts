/** Seats spread over the engines by free capacity, each on its own /24 of the pool and its own ssh port. */
import t from 'tap';
import { findSeat, planSeats } from '../../lab/workshop/plan.js';

const spec = { name: 'cls', seats: 4, pool: '10.100.0.0/16', nodesPerSeat: 3, nodeMemoryMiB: 160, sshPortBase: 2200, engines: [{ name: 'a', memoryMiB: 1000, concurrency: 2 }, { name: 'b', memoryMiB: 2000, concurrency: 2 }] };

t.test('placement and naming', async (t) => {
  const plan = planSeats(spec);
  t.same(plan.map((s) => [s.id, s.labName, s.engine, s.subnet, s.sshPort]), [
    ['s01', 'cls-s01', 'b', '10.100.1.0/24', 2201],
    ['s02', 'cls-s02', 'b', '10.100.2.0/24', 2202],
    ['s03', 'cls-s03', 'a', '10.100.3.0/24', 2203],
    ['s04', 'cls-s04', 'b', '10.100.4.0/24', 2204],
  ]);
  t.throws(() => planSeats({ ...spec, seats: 7 }), /no engine has room for seat 7/);
  t.equal(findSeat(plan, 's03')?.seat, 3);
  t.equal(findSeat(plan, '3')?.seat, 3);
  t.equal(findSeat(plan, 'cls-s02')?.seat, 2);
  t.equal(findSeat(plan, 's09'), undefined);
});
