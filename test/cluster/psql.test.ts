/** psql's ways of ending, turned into the outcome and class every path is judged by. */
import t from 'tap';
import { psqlOutcome } from '../../lab/cluster/psql.js';

const run = (exitCode: number | undefined, stderr: string, stdout = '', timedOut = false) => ({ exitCode, stderr, stdout, timedOut });

t.test('an answered statement is ok, with its rows', async (t) => {
  t.same(psqlOutcome(run(0, '', '42\n')), { outcome: 'ok', rows: [{ value: '42' }] });
});

t.test('a server error settles it: read-only is a failure that did not happen', async (t) => {
  const o = psqlOutcome(run(1, 'ERROR:  25006: cannot execute INSERT in a read-only transaction\nLOCATION:  PreventCommandIfReadOnly, utility.c:407'));
  t.match(o, { outcome: 'fail', errorClass: 'read-only' });
});

t.test('no host of a multi-host list gave a read-write session: refused, never sent', async (t) => {
  const o = psqlOutcome(run(2, 'psql: error: connection to server at "127.0.0.1", port 1 failed: session is read-only\nconnection to server at "127.0.0.1", port 2 failed: session is read-only'));
  t.match(o, { outcome: 'fail', errorClass: 'refused' });
  t.match(psqlOutcome(run(2, 'psql: error: connection to server at "127.0.0.1", port 1 failed: Connection refused')), { outcome: 'fail', errorClass: 'refused' });
});

t.test('a session lost after the statement was sent may have committed', async (t) => {
  const o = psqlOutcome(run(2, 'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally'));
  t.match(o, { outcome: 'indeterminate', errorClass: 'terminated' });
});

t.test('no answer within the bound: a timeout, outcome unknown', async (t) => {
  t.match(psqlOutcome(run(undefined, '', '', true)), { outcome: 'indeterminate', errorClass: 'timeout' });
});
