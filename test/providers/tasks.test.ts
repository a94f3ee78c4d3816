/** Progress tasks shared by both providers: what a failed task shows. */
import t from 'tap';
import { tail } from '../../lab/providers/tasks.js';

t.test('a failed task shows the tail of its output', async (t) => {
  const text = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
  const shown = tail(text, 3).split('\n');
  t.same(shown, ['…', 'line 48', 'line 49', 'line 50']);
  t.equal(tail('one\ntwo\n'), 'one\ntwo');
});
