import t from 'tap';
import { CHECKPOINTS } from '../../lab/workshop/checkpoints.js';
import type { SeatStatus } from '../../lab/workshop/status.js';
import { formatWorkshopStatus } from '../../lab/workshop/status-table.js';

const seat = (over: Partial<SeatStatus>): SeatStatus => ({
  seat: 's01',
  engine: 'local',
  subnet: '10.0.0.0/24',
  ssh: '127.0.0.1:2201',
  running: 3,
  nodes: 3,
  healthy: true,
  checkpoints: [],
  sinceChangeS: 12,
  ...over,
});

t.test('one row a seat, columns aligned, problems and isolation named', async (t) => {
  const text = formatWorkshopStatus({
    workshop: 'ws',
    stage: 'packages',
    isolation: [],
    seats: [
      seat({ checkpoints: [CHECKPOINTS[0]!] }),
      seat({ seat: 's02', engine: 'engine-two', running: 0, healthy: false, sinceChangeS: null, problem: 'never brought up' }),
    ],
  });
  const lines = text.split('\n');
  t.equal(lines[0], 'workshop ws (seats start at stage packages)');
  t.equal(lines[1], 'isolation: every rule in place');
  t.match(lines[2]!, /^seat {2}engine {6}ssh {3,}nodes {2}healthy {2}/, 'the header as wide as the widest cell');
  t.match(lines[3]!, /^s01 {3}local {7}127\.0\.0\.1:2201 {2}3\/3 {4}yes {6}yes /, 'a reached checkpoint is yes');
  t.match(lines[3]!, /12s$/);
  t.match(lines[4]!, /^s02 {3}engine-two {2}.* 0\/3 {4}no .*-$/, 'never changed: -');
  t.same(lines.slice(5), ['problems:', '  s02: never brought up', '']);
  const broken = formatWorkshopStatus({ workshop: 'ws', stage: 'full', isolation: ['rule x missing'], seats: [] });
  t.match(broken, /isolation BROKEN:\n {2}rule x missing\n/);
});

t.test("what the stage already did is n/a; below stage full, not healthy before a leader is 'not yet'", async (t) => {
  const full = formatWorkshopStatus({
    workshop: 'ws',
    stage: 'full',
    isolation: [],
    seats: [seat({ checkpoints: ['etcd', 'leader', 'watchdog'] })],
  });
  t.match(
    full.split('\n')[3]!,
    /yes +n\/a +n\/a +n\/a +- +12s$/,
    "etcd, leader and watchdog came with the stage; failover is the attendee's",
  );
  const early = formatWorkshopStatus({ workshop: 'ws', stage: 'packages', isolation: [], seats: [seat({ healthy: false })] });
  t.match(early.split('\n')[3]!, /3\/3 +not yet +- +- +- +-/, 'nothing is meant to be healthy yet');
  const lost = formatWorkshopStatus({
    workshop: 'ws',
    stage: 'packages',
    isolation: [],
    seats: [seat({ healthy: false, checkpoints: ['etcd', 'leader'] })],
  });
  t.match(lost.split('\n')[3]!, /3\/3 +no +yes +yes/, 'after a leader, unhealthy is a fault again');
});
