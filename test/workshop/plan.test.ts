/** Seats spread over the engines by free capacity, each on its own /24 of the pool and its own ssh port. */
import t from 'tap';
import { findSeat, planSeats, seatId } from '../../lab/workshop/plan.js';

/** Engines of 6 and 4 free seats at 3 nodes x 160 MiB (480 MiB a seat). */
const spec = {
  name: 'cls',
  seats: 4,
  pool: '10.100.0.0/16',
  nodesPerSeat: 3,
  nodeMemoryMiB: 160,
  sshPortBase: 2200,
  engines: [
    { name: 'a', memoryMiB: 2000, concurrency: 2 },
    { name: 'b', memoryMiB: 3000, concurrency: 2 },
  ],
};

t.test('placement and naming', async (t) => {
  const plan = planSeats(spec);
  t.same(
    plan.map((s) => [s.id, s.labName, s.engine, s.subnet, s.sshPort]),
    [
      ['s01', 'cls-s01', 'b', '10.100.1.0/24', 2201],
      ['s02', 'cls-s02', 'b', '10.100.2.0/24', 2202],
      ['s03', 'cls-s03', 'a', '10.100.3.0/24', 2203],
      ['s04', 'cls-s04', 'b', '10.100.4.0/24', 2204],
    ],
    'each seat goes to the engine with the most free seats left, the first on a tie',
  );
});

t.test('a full class fills every engine to its capacity and no further', async (t) => {
  const plan = planSeats({ ...spec, seats: 10 });
  const perEngine = (name: string) => plan.filter((s) => s.engine === name).length;
  t.same([perEngine('a'), perEngine('b')], [4, 6]);
  t.equal(new Set(plan.map((s) => s.subnet)).size, 10, 'no two seats share a network');
  t.equal(new Set(plan.map((s) => s.sshPort)).size, 10, 'no two seats share an ssh port');
  t.throws(() => planSeats({ ...spec, seats: 11 }), /no engine has room for seat 11/);
});

t.test('equal engines take seats in turn; an engine too small for one seat gets none', async (t) => {
  const engines = [
    { name: 'x', memoryMiB: 960, concurrency: 1 },
    { name: 'tiny', memoryMiB: 400, concurrency: 1 },
    { name: 'y', memoryMiB: 960, concurrency: 1 },
  ];
  t.same(
    planSeats({ ...spec, engines }).map((s) => s.engine),
    ['x', 'y', 'x', 'y'],
  );
  t.throws(() => planSeats({ ...spec, engines: [engines[1]!] }), /no engine has room for seat 1/);
});

t.test('seat names from 1 to 3 digits', async (t) => {
  t.same([1, 9, 10, 100].map(seatId), ['s01', 's09', 's10', 's100']);
  const plan = planSeats({ ...spec, seats: 10 });
  t.equal(plan[9]!.subnet, '10.100.10.0/24', 'seat n takes block n of the pool: block 0 stays free');
});

t.test('a trainer names a seat as s03, 3, 03 or its lab name', async (t) => {
  const plan = planSeats(spec);
  for (const name of ['s03', '3', '03', 'cls-s03']) t.equal(findSeat(plan, name)?.seat, 3, name);
  for (const name of ['s09', '9', 'cls-s3', 'other-s03', ''])
    t.equal(findSeat(plan, name), undefined, `${name || '(empty)'}: no seat`);
});
