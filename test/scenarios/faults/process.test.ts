import t from 'tap';
import { failsafeIn } from '../../../lab/scenarios/faults/process.js';

t.test("failsafe_mode as patronictl show-config prints it; absent is Patroni's default, off", async (t) => {
  t.equal(failsafeIn('loop_wait: 2\nfailsafe_mode: true\nttl: 20\n'), true);
  t.equal(failsafeIn('failsafe_mode: false\n'), false);
  t.equal(failsafeIn('loop_wait: 2\nttl: 20\n'), false);
  t.equal(failsafeIn('postgresql:\n  failsafe_mode_x: true\n'), false, 'only the top-level key');
});
