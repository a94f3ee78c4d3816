/**
 * Classifying a failed write from real pg errors: test/fixtures/pg-errors.json holds the fields of
 * errors provoked against a real PostgreSQL (refused, read-only, timeouts, terminated sessions...),
 * rebuilt here as the driver throws them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { classifySqlFailure, type SqlFailure } from '../../lab/cluster/sql.js';
import { ROOT } from '../helpers.js';

interface Shape {
  ctor: 'Error' | 'DatabaseError';
  message: string;
  cause?: Shape;
  [field: string]: unknown;
}

const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/pg-errors.json'), 'utf8')) as { errors: Record<string, { stage: 'connect' | 'query'; error: Shape }> };

function rebuild({ ctor, message, cause, ...fields }: Shape): Error {
  const error = ctor === 'DatabaseError' ? new pg.DatabaseError(message, Number(fields.length ?? 0), 'error') : new Error(message, cause ? { cause: rebuild(cause) } : undefined);
  return Object.assign(error, fields);
}

function classify(name: string): SqlFailure {
  const recorded = fixture.errors[name];
  if (!recorded) throw new Error(`no recorded error ${name}`);
  return classifySqlFailure(rebuild(recorded.error), recorded.stage === 'query');
}

const EXPECTED: Record<string, Omit<SqlFailure, 'message'>> = {
  // Never sent: certainly not applied.
  refused: { outcome: 'fail', errorClass: 'refused' },
  'shutting-down': { outcome: 'fail', errorClass: 'refused' },
  'connect-during-crash-recovery': { outcome: 'fail', errorClass: 'refused' },
  'connect-cut-by-crash': { outcome: 'fail', errorClass: 'terminated' },
  'connect-timeout': { outcome: 'fail', errorClass: 'timeout' },
  'checkout-timeout': { outcome: 'fail', errorClass: 'timeout' },
  // pg knew the connection was gone and did not send the statement.
  'not-queryable': { outcome: 'fail', errorClass: 'terminated' },
  // The server answered the statement with an ERROR: rolled back.
  'read-only': { outcome: 'fail', errorClass: 'read-only' },
  'duplicate-key': { outcome: 'fail', errorClass: 'other' },
  // Sent, and then the answer never came or the session died: it may have committed.
  'statement-timeout': { outcome: 'indeterminate', errorClass: 'timeout' },
  'query-read-timeout': { outcome: 'indeterminate', errorClass: 'timeout' },
  'terminated-in-flight': { outcome: 'indeterminate', errorClass: 'terminated' },
  'fast-shutdown-in-flight': { outcome: 'indeterminate', errorClass: 'terminated' },
  'immediate-shutdown-in-flight': { outcome: 'indeterminate', errorClass: 'terminated' },
  'killed-in-flight': { outcome: 'indeterminate', errorClass: 'terminated' },
};

t.test('every recorded error is classified as expected', async (t) => {
  t.same(Object.keys(EXPECTED).sort(), Object.keys(fixture.errors).sort(), 'one expectation per recorded error');
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const got = classify(name);
    t.same({ outcome: got.outcome, errorClass: got.errorClass }, expected, name);
    t.equal(got.message, fixture.errors[name]!.error.message, `${name}: the driver's message is kept`);
  }
});

t.test('a lost connection after sending is indeterminate; before, it is a failure', async (t) => {
  const reset = Object.assign(new Error('read ECONNRESET'), { errno: -104, code: 'ECONNRESET', syscall: 'read' });
  t.same(classifySqlFailure(reset, true), { outcome: 'indeterminate', errorClass: 'terminated', message: 'read ECONNRESET' });
  t.same(classifySqlFailure(reset, false), { outcome: 'fail', errorClass: 'terminated', message: 'read ECONNRESET' });
});

t.test('an error the classifier does not know is indeterminate once sent', async (t) => {
  t.same(classifySqlFailure(new Error('something new'), true), { outcome: 'indeterminate', errorClass: 'other', message: 'something new' });
  t.same(classifySqlFailure('not even an Error', false), { outcome: 'fail', errorClass: 'other', message: 'not even an Error' });
  const unknownCompletion = Object.assign(new pg.DatabaseError('statement completion unknown', 0, 'error'), { severity: 'ERROR', code: '40003' });
  t.equal(classifySqlFailure(unknownCompletion, true).outcome, 'indeterminate', 'SQLSTATE 40003 says so itself');
});
