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

export class SqlNode {
  private readonly pool: pg.Pool;

  constructor(readonly endpoint: Endpoint, options: SqlOptions) {
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
  }

  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(text, values)).rows;
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
