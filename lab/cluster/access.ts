/**
 * How the host reaches each node: Patroni REST and SQL clients on the node's
 * published ports. Ports can change when a node's container is started again, so a failed probe
 * marks the node's endpoints stale and the next use looks them up again (at most once a second).
 */
import { PatroniClient, type Endpoint } from './patroni.js';
import { SqlNode } from './sql.js';
import type { EntryEndpoints, NodeEndpoints, Provider } from '../providers/provider.js';
import { ExitCode, LabError } from '../errors.js';
import { readSecrets } from '../labdir/secrets.js';
import type { LabSecrets } from '../render/types.js';

interface Cached {
  endpoints: NodeEndpoints;
  resolvedAt: number;
  stale: boolean;
  patroni: PatroniClient;
  sql: SqlNode;
}

const RESOLVE_INTERVAL_MS = 1000;

const sameEndpoint = (a: Endpoint, b: Endpoint): boolean => a.host === b.host && a.port === b.port;

export class LabAccess {
  private readonly cache = new Map<string, Cached>();
  /** SQL clients of the entry paths, by host:port: a pool each, reconnecting as an application's does. */
  private readonly entrySql = new Map<string, SqlNode>();
  private entry: { endpoints: EntryEndpoints; resolvedAt: number } | undefined;

  /** Access with the secrets the lab directory holds; a lab never generated has none, and says how to fix it. */
  static async forLab(provider: Provider, dir: string, probeTimeoutMs?: number): Promise<LabAccess> {
    const secrets = await readSecrets(dir);
    if (!secrets) throw new LabError(`no secrets.json in ${dir}`, ExitCode.badInput, 'run `lab generate` (or `lab up`) first');
    return new LabAccess(provider, secrets, probeTimeoutMs);
  }

  constructor(
    private readonly provider: Provider,
    private readonly secrets: LabSecrets,
    private readonly probeTimeoutMs = 1000,
  ) {}

  private async resolve(node: string): Promise<Cached> {
    const cached = this.cache.get(node);
    if (cached && (!cached.stale || Date.now() - cached.resolvedAt < RESOLVE_INTERVAL_MS)) return cached;
    const endpoints = await this.provider.endpoints(node);
    if (cached && sameEndpoint(cached.endpoints.patroni, endpoints.patroni) && sameEndpoint(cached.endpoints.postgres, endpoints.postgres)) {
      Object.assign(cached, { endpoints, resolvedAt: Date.now(), stale: false });
      return cached;
    }
    await cached?.sql.close();
    const fresh: Cached = {
      endpoints,
      resolvedAt: Date.now(),
      stale: false,
      patroni: new PatroniClient(endpoints.patroni, { timeoutMs: this.probeTimeoutMs, password: this.secrets.restApiPassword }),
      sql: new SqlNode(endpoints.postgres, { password: this.secrets.superuserPassword, connectTimeoutMs: this.probeTimeoutMs, queryTimeoutMs: 2 * this.probeTimeoutMs }),
    };
    this.cache.set(node, fresh);
    return fresh;
  }

  async endpoints(node: string): Promise<NodeEndpoints> {
    return (await this.resolve(node)).endpoints;
  }

  async patroni(node: string): Promise<PatroniClient> {
    return (await this.resolve(node)).patroni;
  }

  async sql(node: string): Promise<SqlNode> {
    return (await this.resolve(node)).sql;
  }

  /** The HAProxy node's ports, looked up again at most once a second (they change when its container restarts). */
  async entryEndpoints(): Promise<EntryEndpoints> {
    if (this.entry && Date.now() - this.entry.resolvedAt < RESOLVE_INTERVAL_MS) return this.entry.endpoints;
    this.entry = { endpoints: await this.provider.entryEndpoints(), resolvedAt: Date.now() };
    return this.entry.endpoints;
  }

  /** A SQL client at an entry point (HAProxy, PgBouncer), with the same bounds as a node's. */
  sqlAt(endpoint: Endpoint): SqlNode {
    const key = `${endpoint.host}:${endpoint.port}`;
    let sql = this.entrySql.get(key);
    if (!sql) {
      sql = new SqlNode(endpoint, { password: this.secrets.superuserPassword, connectTimeoutMs: this.probeTimeoutMs, queryTimeoutMs: 2 * this.probeTimeoutMs });
      this.entrySql.set(key, sql);
    }
    return sql;
  }

  /** What an application on the host would be given to log in with. */
  get password(): string {
    return this.secrets.superuserPassword;
  }

  /** After a failure: the node may have come back on other ports. */
  markStale(node: string): void {
    const cached = this.cache.get(node);
    if (cached) cached.stale = true;
  }

  async close(): Promise<void> {
    await Promise.all([...[...this.cache.values()].map((c) => c.sql), ...this.entrySql.values()].map((sql) => sql.close()));
    this.cache.clear();
    this.entrySql.clear();
  }
}
