/** psql's ways of ending, turned into the outcome and class every path is judged by; a kept session's framing. */
import t from 'tap';
import { beforeMarker, framedStatement, psqlOutcome, statementRun } from '../../lab/cluster/psql.js';

const run = (exitCode: number | undefined, stderr: string, stdout = '', timedOut = false) => ({
  exitCode,
  stderr,
  stdout,
  timedOut,
});

t.test('an answered statement is ok, with its rows', async (t) => {
  t.same(psqlOutcome(run(0, '', '42\n')), { outcome: 'ok', rows: [{ value: '42' }] });
});

t.test('a server error settles it: read-only is a failure that did not happen', async (t) => {
  const o = psqlOutcome(
    run(1, 'ERROR:  25006: cannot execute INSERT in a read-only transaction\nLOCATION:  PreventCommandIfReadOnly, utility.c:407'),
  );
  t.match(o, { outcome: 'fail', errorClass: 'read-only' });
});

t.test('no host of a multi-host list gave a read-write session: refused, never sent', async (t) => {
  const o = psqlOutcome(
    run(
      2,
      'psql: error: connection to server at "127.0.0.1", port 1 failed: session is read-only\nconnection to server at "127.0.0.1", port 2 failed: session is read-only',
    ),
  );
  t.match(o, { outcome: 'fail', errorClass: 'refused' });
  t.match(psqlOutcome(run(2, 'psql: error: connection to server at "127.0.0.1", port 1 failed: Connection refused')), {
    outcome: 'fail',
    errorClass: 'refused',
  });
});

t.test('a session lost after the statement was sent may have committed', async (t) => {
  const o = psqlOutcome(
    run(2, 'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally'),
  );
  t.match(o, { outcome: 'indeterminate', errorClass: 'terminated' });
});

t.test('no answer within the bound: a timeout, outcome unknown', async (t) => {
  t.match(psqlOutcome(run(undefined, '', '', true)), { outcome: 'indeterminate', errorClass: 'timeout' });
});

t.test('a kept session: each statement framed by a marker on stdout and on stderr', async (t) => {
  t.equal(
    framedStatement('SELECT 1', 'M'),
    'SELECT 1;\n\\echo M\n\\warn M\n',
    'the statement, then \\echo and \\warn of the marker',
  );
  t.equal(framedStatement('SELECT 1; ', 'M'), 'SELECT 1;\n\\echo M\n\\warn M\n', 'one semicolon, whatever the caller wrote');
  t.equal(beforeMarker('42\nM\n', 'M'), '42\n', "the statement's rows");
  t.equal(beforeMarker('M\n', 'M'), '', 'no rows');
  t.equal(beforeMarker('42\nM', 'M'), undefined, 'the marker line not yet complete');
  t.equal(beforeMarker('42\nMM\n', 'M'), undefined, 'only the whole line counts');
});

t.test("a kept session's statement, as psqlOutcome reads it", async (t) => {
  t.same(
    statementRun('42\nM\n', 'M\n', undefined, 'M'),
    { exitCode: 0, stdout: '42\n', stderr: '', timedOut: false },
    'both markers: answered',
  );
  t.same(
    statementRun('42\nM\n', 'NOTICE:  42P07: relation exists, skipping\nM\n', undefined, 'M')?.exitCode,
    0,
    'a notice is no error',
  );
  const failed = statementRun('M\n', 'ERROR:  25006: cannot execute INSERT in a read-only transaction\nM\n', undefined, 'M');
  t.equal(failed?.exitCode, 1, "a server error before the marker is the statement's");
  t.match(psqlOutcome(failed!), { outcome: 'fail', errorClass: 'read-only' }, 'and is classified as a -c error would be');
  t.equal(statementRun('42\nM\n', '', undefined, 'M'), undefined, 'stderr not yet at its marker: still waiting');
  const lost = statementRun('', 'server closed the connection unexpectedly\n', 2, 'M');
  t.match(
    psqlOutcome(lost!),
    { outcome: 'indeterminate', errorClass: 'terminated' },
    'psql exited before the markers: the session was lost',
  );
  const never = statementRun('', 'psql: error: connection to server at "127.0.0.1", port 1 failed: Connection refused\n', 2, 'M');
  t.match(psqlOutcome(never!), { outcome: 'fail', errorClass: 'refused' }, 'or never made');
});
