/**
 * Classifying a failed write from real pg errors: test/fixtures/pg-errors.json holds the fields of
 * errors provoked against a real PostgreSQL (refused, read-only, timeouts, terminated sessions...),
 * rebuilt here as the driver throws them. And a server's FATAL that arrives between two users of a
 * pooled connection, which must not crash the process.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { classifySqlFailure, SqlNode, type SqlFailure } from '../../lab/cluster/sql.js';
import { ROOT } from '../helpers.js';

interface Shape {
  ctor: 'Error' | 'DatabaseError';
  message: string;
  cause?: Shape;
  [field: string]: unknown;
}

const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/pg-errors.json'), 'utf8')) as {
  errors: Record<string, { stage: 'connect' | 'query'; error: Shape }>;
};

function rebuild({ ctor, message, cause, ...fields }: Shape): Error {
  const error =
    ctor === 'DatabaseError'
      ? new pg.DatabaseError(message, Number(fields.length ?? 0), 'error')
      : new Error(message, cause ? { cause: rebuild(cause) } : undefined);
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
  t.same(classifySqlFailure(new Error('something new'), true), {
    outcome: 'indeterminate',
    errorClass: 'other',
    message: 'something new',
  });
  t.same(classifySqlFailure('not even an Error', false), { outcome: 'fail', errorClass: 'other', message: 'not even an Error' });
  const unknownCompletion = Object.assign(new pg.DatabaseError('statement completion unknown', 0, 'error'), {
    severity: 'ERROR',
    code: '40003',
  });
  t.equal(classifySqlFailure(unknownCompletion, true).outcome, 'indeterminate', 'SQLSTATE 40003 says so itself');
});

/**
 * The byte sequence that crashed a CI run, sent by a PostgreSQL speaker of a few lines: a real server
 * sends it only when a demotion's FATAL happens to share a TCP read with the ReadyForQuery before it.
 * Connection A answers its query, then at once says FATAL 57P01 and closes. The pool hands A, as the
 * ReadyForQuery frees it, to an attempt() waiting for a connection, before that attempt has resumed.
 */
t.test("a server's FATAL read with the ReadyForQuery that frees the connection for a waiting attempt()", async (t) => {
  const int32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const message = (type: string, body: Buffer): Buffer => Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
  const ready = message('Z', Buffer.from('I'));
  const answer = Buffer.concat([message('C', Buffer.from('SELECT 0\0')), ready]);
  const fatal = message('E', Buffer.from('SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0'));

  const queried: net.Socket[] = [];
  let answerB = (): void => undefined;
  const server = net.createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const header = started ? 5 : 4;
        if (buffered.length < header) return;
        const length = buffered.readInt32BE(started ? 1 : 0) + (started ? 1 : 0);
        if (buffered.length < length) return;
        const type = started ? String.fromCharCode(buffered[0]!) : 'startup';
        buffered = buffered.subarray(length);
        if (type === 'startup') {
          started = true;
          socket.write(Buffer.concat([message('R', int32(0)), ready]));
        } else if (type === 'Q' && queried.length < 2) {
          queried.push(socket);
          if (queried.length === 2) {
            const [a, b] = queried as [net.Socket, net.Socket];
            answerB = () => b.write(answer);
            a.end(Buffer.concat([answer, fatal]), () => answerB());
          }
        } else if (type === 'Q') {
          socket.write(answer);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as net.AddressInfo;
  const node = new SqlNode({ host: '127.0.0.1', port }, { password: 'unused', connectTimeoutMs: 5000, queryTimeoutMs: 5000 });
  t.teardown(() => node.close());

  // The pool's two connections busy with a query each, and an attempt waiting for one of them.
  const first = node.query('SELECT 0');
  const second = node.query('SELECT 0');
  await new Promise((resolve) => setImmediate(resolve));
  const waiting = node.attempt('SELECT 0');
  t.same(await first, [], "A's query is answered");
  t.match(
    await waiting,
    { outcome: 'fail', errorClass: 'terminated' },
    'the attempt handed A finds it gone, and fails without sending',
  );
  t.same(await second, [], "B's query is answered: the process went on");
});

t.test("PgBouncer's cached login failure is no session, answered at once: refused, not a timeout", async (t) => {
  const cached = Object.assign(
    new pg.DatabaseError('server login has been failing, cached error: connect timeout (server_login_retry)', 0, 'error'),
    { severity: 'ERROR', code: '08P01' },
  );
  t.equal(classifySqlFailure(cached, false).errorClass, 'refused');
});
