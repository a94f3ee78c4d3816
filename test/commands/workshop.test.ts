/** `lab workshop reset` wipes an attendee's work: it goes ahead on --yes or a yes at the terminal, never unasked. */
import t from 'tap';
import { resetConsent } from '../../lab/commands/workshop.js';

t.test('reset: --yes goes, a terminal is asked, no terminal and no --yes is refused', async (t) => {
  t.equal(resetConsent(true, false), 'go');
  t.equal(resetConsent(true, true), 'go');
  t.equal(resetConsent(false, true), 'ask');
  t.equal(resetConsent(false, false), 'refuse');
});
