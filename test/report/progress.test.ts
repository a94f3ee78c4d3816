/** `lab up`'s task progress lines. Pure. */
import t from 'tap';
import { formatProgressEvent } from '../../lab/report/progress.js';

t.test('progress lines', async (t) => {
  t.equal(formatProgressEvent({ node: 'node1', task: '20-etcd', status: 'start' }, 1234), '[   1.2 s] node1    20-etcd ...');
  t.equal(
    formatProgressEvent({ node: null, task: 'network', status: 'ok', elapsedMs: 100 }, 2000),
    '[   2.0 s] lab      network ok (0.1 s)',
  );
  t.equal(
    formatProgressEvent(
      { node: 'node2', task: '40-patroni', status: 'fail', elapsedMs: 3000, output: 'boom\n(full output: /x.log)' },
      9000,
    ),
    '[   9.0 s] node2    40-patroni FAILED (3.0 s)\n            | boom\n            | (full output: /x.log)',
    "a failure shows the task's output and where the full log is",
  );
  t.match(
    formatProgressEvent({ node: 'node1', task: 'x', status: 'ok' }, 0, true),
    /\x1b\[32mok\x1b\[0m/,
    'colored on a terminal',
  );
});
