/**
 * SQL to a node's PostgreSQL through its published port, as the superuser. One small pool per node,
 * every connection and query bounded, so a frozen or vanished server costs a timeout, never a hang.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { Endpoint } from './patroni.js';

const require = createRequire(import.meta.url);

export interface SqlOptions {
  password: string;
  /** Bound on connecting; default 1 s. */
  connectTimeoutMs?: number;
  /** Bound on each query, enforced by the server (statement_timeout) and by the client; default 2 s. */
  queryTimeoutMs?: number;
}

export type ServerRole = 'primary' | 'replica';

/** Why a statement failed, for counting: no session could be had, a standby, a timeout, the session died, anything else. */
export type SqlErrorClass = 'refused' | 'read-only' | 'timeout' | 'terminated' | 'other';

/**
 * A failed statement's effect, in Jepsen's terms: `fail` it certainly did not take effect;
 * `indeterminate` it may have (Jepsen's `info`), e.g. the connection died after it was sent.
 */
export interface SqlFailure {
  outcome: 'fail' | 'indeterminate';
  errorClass: SqlErrorClass;
  message: string;
}

/** On success, the statement's rows (a write returns none). */
export type SqlOutcome = { outcome: 'ok'; rows?: Record<string, unknown>[] } | SqlFailure;

/** Socket errors meaning the server was never reached. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);
/** Socket errors meaning an established connection broke. */
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function errorFields(error: unknown): { message: string; code?: string; severity?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  return {
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof severity === 'string' ? { severity } : {}),
  };
}

function errorClassOf({ message, code }: { message: string; code?: string }): SqlErrorClass {
  if (code === '25006') return 'read-only'; // a standby, or a primary demoted under the statement
  // 57P03: the server is starting up, shutting down or in recovery, and takes no session.
  // PgBouncer's "server login has been failing, cached error: connect timeout (server_login_retry)"
  // answers at once, from its cache: no session, and no wait (not a timeout of this client's).
  if ((code && UNREACHABLE.has(code)) || code === '57P03' || /server login has been failing/i.test(message)) return 'refused';
  // pg's "Query read timeout", the pool's "timeout exceeded when trying to connect", "Connection
  // terminated due to connection timeout", and the server's "canceling statement due to statement timeout".
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) return 'timeout';
  // 57P01 admin shutdown / 57P02 crash of another backend; class 08 connection exceptions; pg's
  // "Connection terminated unexpectedly" and "... is not queryable" for a connection already gone.
  if (
    (code && (CONNECTION_LOST.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02')) ||
    /terminated|not queryable/i.test(message)
  )
    return 'terminated';
  return 'other';
}

/**
 * Whether a failed statement certainly did not take effect. `sent`: a connected client was handed
 * the statement (a failure to connect means the server never saw it). After that, only an ERROR the
 * server answered it with settles it (the autocommit transaction was rolled back), except a cancel
 * (57014), which can race the commit; a FATAL or a lost connection may come after the commit record.
 * pg refuses a statement on a connection it already knows is broken without sending it.
 */
function certainlyNotApplied(
  { message, code, severity }: { message: string; code?: string; severity?: string },
  sent: boolean,
): boolean {
  if (!sent || /is not queryable/.test(message)) return true;
  return severity === 'ERROR' && code !== undefined && code !== '57014' && code !== '40003';
}

/** What a pg driver error tells about the statement's effect, and its class. Pure. */
export function classifySqlFailure(error: unknown, sent: boolean): SqlFailure {
  const fields = errorFields(error);
  return {
    outcome: certainlyNotApplied(fields, sent) ? 'fail' : 'indeterminate',
    errorClass: errorClassOf(fields),
    message: fields.message,
  };
}

export class SqlNode {
  private readonly pool: pg.Pool;

  constructor(
    readonly endpoint: Endpoint,
    options: SqlOptions,
  ) {
    const queryTimeout = options.queryTimeoutMs ?? 2000;
    // Loaded on first use: only the commands that query PostgreSQL pay for loading pg.
    const { Pool } = require('pg') as typeof pg;
    this.pool = new Pool({
      host: endpoint.host,
      port: endpoint.port,
      user: 'postgres',
      password: options.password,
      database: 'postgres',
      max: 2,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 1000,
      idleTimeoutMillis: 5000,
      statement_timeout: queryTimeout,
      // The server cannot time out a query when it is frozen or gone: the client must.
      query_timeout: queryTimeout + 500,
      application_name: 'pgha-lab-scenario',
    });
    // An idle connection dropped by a crash or a demotion must not crash the process; the pool discards it.
    this.pool.on('error', () => undefined);
    // Nor may a connection's own 'error' event, which pg emits for a server's message that comes when
    // none of its queries runs, such as a demotion's FATAL "terminating connection due to administrator
    // command". The pool listens only while a connection is idle, and attempt() only once its await
    // has resumed: a FATAL read in the same chunk as the ReadyForQuery that handed the connection to
    // a waiting attempt() fell between the two and crashed a CI run. The query or attempt using the
    // connection still sees the failure, and the pool still discards the connection.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(text, values)).rows;
  }

  /**
   * One statement, never throwing: connecting and running are told apart, because only a failure
   * after the statement was sent can leave its effect unknown (see classifySqlFailure).
   */
  async attempt(text: string, values?: unknown[]): Promise<SqlOutcome> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      return classifySqlFailure(e, false);
    }
    try {
      const { rows } = await client.query(text, values);
      client.release();
      return { outcome: 'ok', rows };
    } catch (e) {
      client.release(e instanceof Error ? e : true); // the pool discards the connection instead of reusing it
      return classifySqlFailure(e, true);
    }
  }

  /**
   * primary: accepts writes; replica: in recovery (a standby, or a demoted primary). On a primary,
   * also the standbys streaming from it (Patroni names each walsender after its member).
   */
  async role(): Promise<{ role: ServerRole; streaming: string[] }> {
    const [row] = await this.query<{ recovery: boolean; streaming: string[] }>(
      "SELECT pg_is_in_recovery() AS recovery, ARRAY(SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1) AS streaming",
    );
    return { role: row?.recovery ? 'replica' : 'primary', streaming: row?.recovery ? [] : (row?.streaming ?? []) };
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
