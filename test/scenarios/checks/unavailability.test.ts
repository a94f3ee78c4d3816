/** Stretches without an acknowledgement, laid to the fault in force when they began. */
import t from 'tap';
import {
  faultOf,
  outages,
  unavailableStretches,
  UNAVAILABLE_MS,
  type FaultSpan,
} from '../../../lab/scenarios/checks/unavailability.js';

const failsafe: FaultSpan = { fault: 'failsafe-mode', node: 'node1', from: 1_000, to: 30_000 };
const outage: FaultSpan = { fault: 'dcs-outage', node: 'node1', from: 5_000, to: 14_000 };

t.test(
  'a stretch is laid to the latest fault in force when it began, not to the configuration change held under it',
  async (t) => {
    t.equal(faultOf(9_800, [failsafe, outage]), outage);
    t.equal(faultOf(2_000, [failsafe, outage]), failsafe, 'before the outage, only the change is in force');
    t.equal(faultOf(4_500, [failsafe, outage]), outage, 'the last ack just before a fault: laid to it');
    t.equal(faultOf(500, [outage]), null, 'more than UNAVAILABLE_MS before the fault');
  },
);

t.test('stretches longer than the threshold; the run ending closes the last one', async (t) => {
  const stretches = unavailableStretches([0, 200, 400, 6_000, 6_200], [outage], { end: 9_000 });
  t.same(stretches, [
    { from: 400, to: 6_000, ms: 5_600, cause: null },
    { from: 6_200, to: 9_000, ms: 2_800, cause: 'dcs-outage on node1' },
  ]);
  t.same(unavailableStretches([0, UNAVAILABLE_MS], []), [], 'exactly the threshold is no unavailability');
});

t.test("a client's outages: the longest per fault, the longest of those, and one the run ended in", async (t) => {
  // Every 200 ms, but 0.9 s missing after the configuration change and 5.7 s in the outage.
  const acks = [0, 200, 400, 1_300, ...Array.from({ length: 43 }, (_, i) => 1_500 + i * 200), 15_600, 15_800];
  const o = outages(acks, [failsafe, outage], 16_000);
  t.same(
    o.byFault.map((w) => [w.cause, w.from, w.to, w.recovered]),
    [
      ['failsafe-mode on node1', 400, 1_300, true],
      ['dcs-outage on node1', 9_900, 15_600, true],
    ],
  );
  t.equal(o.longest?.ms, 5_700);
  t.same(
    o.windows.map((w) => w.from),
    [9_900],
    'over UNAVAILABLE_MS only',
  );
  const cut = outages([0, 200, 9_800], [outage], 20_000);
  t.same(
    [cut.longest?.from, cut.longest?.to, cut.longest?.recovered],
    [9_800, 20_000, false],
    'the run ended before an acknowledgement',
  );
  t.same(
    outages([6_000, 6_200], [outage]).longest,
    { from: 5_000, to: 6_000, ms: 1_000, cause: 'dcs-outage on node1', faultAt: 5_000, recovered: true },
    'no ack before the first fault: counted from it',
  );
});
