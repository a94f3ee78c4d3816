/**
 * Statements through libpq itself, by a psql kept open: the libpq multi-host path needs libpq's own
 * host list and target_session_attrs, which node-postgres does not implement (pg-native would, but
 * needs a compiler and libpq's headers at `npm ci`). One session serves statement after statement,
 * as an application's pooled connection does; after a failed statement it is closed, and the next
 * statement connects anew, so libpq walks the host list again, as a pool does on reconnect. Its
 * failures are turned into the fields classifySqlFailure reads, so every path is classified the one
 * way.
 */
import { randomUUID } from 'node:crypto';
import { execa, type ResultPromise } from 'execa';
import { classifySqlFailure, type SqlOutcome } from './sql.js';

/** How a psql statement ended. */
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
  if (run.timedOut)
    return classifySqlFailure(
      Object.assign(new Error('psql: no answer within the bound (timeout)'), { code: 'ETIMEDOUT' }),
      true,
    );
  if (run.exitCode === 0)
    return {
      outcome: 'ok',
      rows: run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => ({ value: line })),
    };
  const text = run.stderr.trim();
  const server = SERVER_ERROR.exec(text);
  if (run.exitCode !== undefined && STATEMENT_ERROR.has(run.exitCode) && server) {
    return classifySqlFailure(Object.assign(new Error(server[3]), { code: server[2], severity: server[1] }), true);
  }
  // Every host's reason, on one line: with a host list, why each one was passed over is the story.
  const firstLine =
    text
      .split('\n')
      .filter((l) => !/^\s/.test(l))
      .join(' | ') || `psql exited ${run.exitCode}`;
  // libpq says "connection to server at ... failed: ..." for every host it could not use.
  const neverConnected =
    run.exitCode === CONNECTION_BAD && /connection to server .* failed|could not connect|timeout expired/i.test(text);
  // The driver's codes for what libpq only says in words: no session (refused, or no read-write host
  // among the list), no answer in time, a session lost (08006 connection_failure).
  const code = /timeout expired/i.test(text) ? 'ETIMEDOUT' : neverConnected ? 'ECONNREFUSED' : '08006';
  return classifySqlFailure(Object.assign(new Error(firstLine), { code }), !neverConnected);
}

/**
 * What psql is sent for one statement: the statement, then a marker on stdout (`\echo`) and on
 * stderr (`\warn`, psql 13 and later), so the statement's rows and its errors are told apart from the
 * next one's. Pure.
 */
export function framedStatement(sql: string, marker: string): string {
  return `${sql.replace(/;\s*$/, '')};\n\\echo ${marker}\n\\warn ${marker}\n`;
}

/** The text before `marker`'s line in `text`, or undefined while the line has not come. Pure. */
export function beforeMarker(text: string, marker: string): string | undefined {
  const at = text.startsWith(`${marker}\n`) ? 0 : text.indexOf(`\n${marker}\n`);
  if (at < 0) return undefined;
  return at === 0 ? '' : text.slice(0, at + 1);
}

/** How a statement of the session ended, as psqlOutcome reads it: both markers came, or psql exited first. Pure. */
export function statementRun(stdout: string, stderr: string, exitCode: number | undefined, marker: string): PsqlRun | undefined {
  const out = beforeMarker(stdout, marker);
  const err = beforeMarker(stderr, marker);
  if (out !== undefined && err !== undefined)
    return { exitCode: SERVER_ERROR.test(err) ? 1 : 0, stdout: out, stderr: err, timedOut: false };
  if (exitCode !== undefined) return { exitCode, stdout, stderr, timedOut: false };
  return undefined;
}

const PSQL_OPTIONS = { extendEnv: false, reject: false, buffer: false, stdin: 'pipe' } as const;

interface Open {
  child: ResultPromise<typeof PSQL_OPTIONS & { env: Record<string, string> }>;
  stdout: string;
  stderr: string;
  exitCode?: number;
  changed: () => void;
}

/**
 * A psql session on libpq's environment (PGHOST, PGPORT, PGTARGETSESSIONATTRS...): one statement at
 * a time, each bounded. Never throws from attempt(); close() ends psql.
 */
export class PsqlSession {
  private open?: Open;

  private start(env: Record<string, string>): Open {
    const child = execa('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=0', '-v', 'VERBOSITY=verbose'], {
      // libpq's connect_timeout is per host and at least 2 s: a host that does not answer costs that, no more.
      env: { ...env, PGCONNECT_TIMEOUT: '2', PGAPPNAME: 'pgha-lab-libpq' } as Record<string, string>,
      ...PSQL_OPTIONS,
    });
    const open: Open = { child, stdout: '', stderr: '', changed: () => undefined };
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      open.stdout += s;
      open.changed();
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      open.stderr += s;
      open.changed();
    });
    child.stdin.on('error', () => undefined); // psql gone: its exit says why
    void child.then((r) => {
      open.exitCode = r.exitCode ?? CONNECTION_BAD;
      open.changed();
    });
    return open;
  }

  /** Runs `sql` in the session, connecting first when there is none; after a failure the session is closed. */
  async attempt(env: Record<string, string>, sql: string, timeoutMs: number): Promise<SqlOutcome> {
    // A session that ended while idle (its server went away) is replaced before the statement is sent.
    if (this.open?.exitCode !== undefined) await this.close();
    const open = (this.open ??= this.start(env));
    open.stdout = '';
    open.stderr = '';
    const marker = `pgha-lab-${randomUUID()}`;
    open.child.stdin.write(framedStatement(sql, marker));
    const run = await new Promise<PsqlRun>((resolve) => {
      const timer = setTimeout(() => resolve({ exitCode: undefined, stdout: '', stderr: '', timedOut: true }), timeoutMs);
      const check = (): void => {
        const done = statementRun(open.stdout, open.stderr, open.exitCode, marker);
        if (!done) return;
        clearTimeout(timer);
        resolve(done);
      };
      open.changed = check;
      check();
    });
    open.changed = () => undefined;
    const outcome = psqlOutcome(run);
    if (outcome.outcome !== 'ok') await this.close();
    return outcome;
  }

  async close(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    if (!open) return;
    open.child.stdin.end();
    open.child.kill('SIGKILL');
    await open.child;
  }
}
