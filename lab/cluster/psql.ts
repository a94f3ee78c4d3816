/**
 * One statement through libpq itself, by running psql: the libpq multi-host path needs libpq's own
 * host list and target_session_attrs, which node-postgres does not implement (pg-native would, but
 * needs a compiler and libpq's headers at `npm ci`). Each statement is a new psql, so a new session:
 * libpq walks the host list every time, as an application's pool does on reconnect. Its failures are
 * turned into the fields classifySqlFailure reads, so every path is classified the one way.
 */
import { execa } from 'execa';
import { classifySqlFailure, type SqlOutcome } from './sql.js';

/** How a psql run ended. */
export interface PsqlRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** psql's exit codes: 2 the connection went bad (or was never made); an error of a `-c` statement is 1 (3 in a script). */
const CONNECTION_BAD = 2;
const STATEMENT_ERROR = new Set([1, 3]);

/** SQLSTATEs libpq prints with VERBOSITY verbose: `ERROR:  25006: cannot execute ...`. */
const SERVER_ERROR = /^(ERROR|FATAL|PANIC):\s+([0-9A-Z]{5}):\s*(.*)$/m;

/** What a psql run says about the statement. Pure. */
export function psqlOutcome(run: PsqlRun): SqlOutcome {
  if (run.timedOut) return classifySqlFailure(Object.assign(new Error('psql: no answer within the bound (timeout)'), { code: 'ETIMEDOUT' }), true);
  if (run.exitCode === 0) return { outcome: 'ok', rows: run.stdout.split('\n').filter(Boolean).map((line) => ({ value: line })) };
  const text = run.stderr.trim();
  const server = SERVER_ERROR.exec(text);
  if (run.exitCode !== undefined && STATEMENT_ERROR.has(run.exitCode) && server) {
    return classifySqlFailure(Object.assign(new Error(server[3]), { code: server[2], severity: server[1] }), true);
  }
  // Every host's reason, on one line: with a host list, why each one was passed over is the story.
  const firstLine = text.split('\n').filter((l) => !/^\s/.test(l)).join(' | ') || `psql exited ${run.exitCode}`;
  // libpq says "connection to server at ... failed: ..." for every host it could not use.
  const neverConnected = run.exitCode === CONNECTION_BAD && /connection to server .* failed|could not connect|timeout expired/i.test(text);
  // The driver's codes for what libpq only says in words: no session (refused, or no read-write host
  // among the list), no answer in time, a session lost (08006 connection_failure).
  const code = /timeout expired/i.test(text) ? 'ETIMEDOUT' : neverConnected ? 'ECONNREFUSED' : '08006';
  return classifySqlFailure(Object.assign(new Error(firstLine), { code }), !neverConnected);
}

/** Runs `sql` with libpq's environment `env` (PGHOST, PGPORT, PGTARGETSESSIONATTRS...), bounded. Never throws. */
export async function psqlAttempt(env: Record<string, string>, sql: string, timeoutMs: number): Promise<SqlOutcome> {
  const result = await execa('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', '-c', sql], {
    // libpq's connect_timeout is per host and at least 2 s: a host that does not answer costs that, no more.
    env: { ...env, PGCONNECT_TIMEOUT: '2', PGAPPNAME: 'pgha-lab-libpq' },
    extendEnv: false,
    reject: false,
    timeout: timeoutMs,
  });
  return psqlOutcome({ exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), timedOut: result.timedOut === true });
}
