/**
 * How the host reaches each node: Patroni REST and SQL clients on the node's
 * published ports. Ports can change when a node's container is started again, so a failed probe
 * marks the node's endpoints stale and the next use looks them up again (at most once a second).
 * A use waits for that lookup no longer than a probe's timeout: a provider may take seconds to
 * answer for a node that is down (Vagrant reconnects over ssh and asks `vagrant ssh-config`), and a
 * probe of a crashed node must fail as fast as its requests time out, so that it is recorded as a
 * sample. The lookup goes on meanwhile, one per node at a time. A node's first lookup is waited for.
 */
import { PatroniClient, type Endpoint } from './patroni.js';
import { SqlNode } from './sql.js';
import type { EntryEndpoints, NodeEndpoints, Provider } from '../providers/provider.js';
import { ExitCode, LabError } from '../errors.js';
import { readSecrets } from '../labdir/secrets.js';
import type { LabSecrets } from '../render/types.js';
import { refTimeout, systemClock, type Clock } from '../clock.js';

interface Cached {
  endpoints: NodeEndpoints;
  stale: boolean;
  /** When the last lookup began. */
  lookedUpAt: number;
  /** The lookup in flight since the endpoints went stale. */
  lookup?: Promise<void>;
  /** Why the last lookup failed; cleared by one that succeeds. */
  failed?: unknown;
  patroni: PatroniClient;
  sql: SqlNode;
}

const RESOLVE_INTERVAL_MS = 1000;

/**
 * The probe timeout of a one-shot look a person waits for (`lab status`, workshop checkpoints). The
 * default of 1 s suits samplers that probe every second; on a loaded host, and through the Vagrant
 * provider's ssh forwards, a healthy node's answer can take longer, and a one-shot look must not
 * call it silent.
 */
export const ONE_SHOT_PROBE_TIMEOUT_MS = 5000;

const sameEndpoint = (a: Endpoint, b: Endpoint): boolean => a.host === b.host && a.port === b.port;

export class LabAccess {
  private readonly cache = new Map<string, Cached>();
  /** First lookups in flight: callers at the same time share one. */
  private readonly first = new Map<string, Promise<Cached>>();
  private closed = false;
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
    private readonly provider: Pick<Provider, 'endpoints' | 'entryEndpoints'>,
    private readonly secrets: LabSecrets,
    private readonly probeTimeoutMs = 1000,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  private clients(endpoints: NodeEndpoints): Pick<Cached, 'patroni' | 'sql'> {
    return {
      patroni: new PatroniClient(endpoints.patroni, { timeoutMs: this.probeTimeoutMs, password: this.secrets.restApiPassword }),
      sql: new SqlNode(endpoints.postgres, {
        password: this.secrets.superuserPassword,
        connectTimeoutMs: this.probeTimeoutMs,
        queryTimeoutMs: 2 * this.probeTimeoutMs,
      }),
    };
  }

  private async resolve(node: string): Promise<Cached> {
    const cached = this.cache.get(node);
    if (!cached) return this.lookUpFirst(node);
    if (!cached.stale) return cached;
    if (!cached.lookup && this.clock.now() - cached.lookedUpAt >= RESOLVE_INTERVAL_MS) {
      const lookup = this.lookUpAgain(node, cached);
      cached.lookup = lookup;
      const done = (): void => void (cached.lookup = undefined);
      lookup.then(done, done);
    }
    if (cached.lookup) await this.within(cached.lookup, node);
    else if (cached.failed !== undefined) throw cached.failed;
    return cached;
  }

  /** Waits for a lookup at most a probe's timeout; it goes on after that. */
  private async within(lookup: Promise<void>, node: string): Promise<void> {
    const timeout = refTimeout(this.probeTimeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        timeout.signal.addEventListener(
          'abort',
          () =>
            reject(new LabError(`${node}'s endpoints are still being looked up after ${this.probeTimeoutMs} ms (is it down?)`)),
          { once: true },
        );
        lookup.then(resolve, reject);
      });
    } finally {
      timeout.clear();
    }
  }

  private lookUpFirst(node: string): Promise<Cached> {
    let pending = this.first.get(node);
    if (!pending) {
      const lookedUpAt = this.clock.now();
      pending = this.provider.endpoints(node).then(async (endpoints) => {
        const fresh: Cached = { endpoints, stale: false, lookedUpAt, ...this.clients(endpoints) };
        if (this.closed) {
          await fresh.sql.close();
          throw new LabError('the lab access was closed while it looked up endpoints');
        }
        this.cache.set(node, fresh);
        return fresh;
      });
      const forget = (): void => void this.first.delete(node);
      pending.then(forget, forget);
      this.first.set(node, pending);
    }
    return pending;
  }

  /** Rejects with the provider's error, which the node's uses see until a later lookup succeeds. */
  private async lookUpAgain(node: string, cached: Cached): Promise<void> {
    cached.lookedUpAt = this.clock.now();
    let endpoints: NodeEndpoints;
    try {
      endpoints = await this.provider.endpoints(node);
    } catch (e) {
      cached.failed = e;
      throw e;
    }
    delete cached.failed;
    if (this.closed) return;
    const moved =
      !sameEndpoint(cached.endpoints.patroni, endpoints.patroni) || !sameEndpoint(cached.endpoints.postgres, endpoints.postgres);
    const old = cached.sql;
    Object.assign(cached, { endpoints, stale: false }, moved ? this.clients(endpoints) : {});
    if (moved) await old.close();
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
    if (this.entry && this.clock.now() - this.entry.resolvedAt < RESOLVE_INTERVAL_MS) return this.entry.endpoints;
    this.entry = { endpoints: await this.provider.entryEndpoints(), resolvedAt: this.clock.now() };
    return this.entry.endpoints;
  }

  /** A SQL client at an entry point (HAProxy, PgBouncer), with the same bounds as a node's. */
  sqlAt(endpoint: Endpoint): SqlNode {
    const key = `${endpoint.host}:${endpoint.port}`;
    let sql = this.entrySql.get(key);
    if (!sql) {
      sql = new SqlNode(endpoint, {
        password: this.secrets.superuserPassword,
        connectTimeoutMs: this.probeTimeoutMs,
        queryTimeoutMs: 2 * this.probeTimeoutMs,
      });
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

  /** Closes the SQL clients; a lookup still in flight is not waited for, and what it finds is dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...[...this.cache.values()].map((c) => c.sql), ...this.entrySql.values()].map((sql) => sql.close()));
    this.cache.clear();
    this.entrySql.clear();
  }
}
