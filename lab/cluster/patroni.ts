/**
 * Patroni's REST API, reached from the host through a node's published port. Every call is bounded
 * (its own timer, combined with the caller's signal). Roles are normalized across versions:
 * Patroni 3.0 says `leader` in /cluster and `master` in /patroni; newer ones say `primary`.
 */
import { LabError } from '../errors.js';
import { boundedFetch } from './bounded-fetch.js';

export interface Endpoint {
  host: string;
  port: number;
}

export type PatroniRole = 'primary' | 'replica' | 'standby-leader' | 'other';

const ROLES: Record<string, PatroniRole> = {
  leader: 'primary',
  master: 'primary',
  primary: 'primary',
  replica: 'replica',
  sync_standby: 'replica',
  standby_leader: 'standby-leader',
};

export function normalizePatroniRole(role: unknown): PatroniRole {
  return ROLES[String(role)] ?? 'other';
}

/**
 * A replica's Patroni state once its PostgreSQL runs: 3.0 says `running`, newer versions `streaming`.
 * Not `creating replica`: pg_basebackup's WAL stream shows in the leader's pg_stat_replication
 * under the member's name too, so the leader's view alone cannot tell a copy from a replica.
 */
export function isRunningReplicaState(state: string | null | undefined): boolean {
  return state === 'running' || state === 'streaming';
}

/** GET /patroni: this node's own view. */
export interface PatroniStatus {
  role: PatroniRole;
  state: string;
  timeline: number | null;
  /** Set when this node sees no leader key in the DCS. */
  clusterUnlocked: boolean;
  /** A changed parameter waits for a restart of this node's PostgreSQL (pg_settings.pending_restart, as Patroni reports it). */
  pendingRestart: boolean;
}

export interface ClusterMember {
  name: string;
  role: PatroniRole;
  state: string;
  timeline: number | null;
  /** Bytes behind the leader; null when Patroni says 'unknown' or the member is the leader. */
  lag: number | null;
  /**
   * Patroni lists it as a synchronous standby (`sync_standby`, or `quorum_standby` in quorum mode):
   * with synchronous_mode on, only such a member may be promoted.
   */
  syncStandby: boolean;
}

/** GET /cluster: the members as this node reads them from the DCS. */
export interface ClusterStatus {
  leader: string | null;
  members: ClusterMember[];
}

export interface PatroniClientOptions {
  /** Bound of each GET; default 2 s. POSTs get 60 s: Patroni answers a switchover only once it is done. */
  timeoutMs?: number;
  password?: string;
  signal?: AbortSignal;
}

const POST_TIMEOUT_MS = 60_000;

export class PatroniError extends LabError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class PatroniClient {
  constructor(
    readonly endpoint: Endpoint,
    private readonly options: PatroniClientOptions = {},
  ) {}

  private async request(
    method: 'GET' | 'POST',
    path: string,
    body?: object,
    timeoutMs = this.options.timeoutMs ?? 2000,
  ): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = 'application/json';
    if (this.options.password !== undefined)
      headers.authorization = `Basic ${Buffer.from(`patroni:${this.options.password}`).toString('base64')}`;
    return boundedFetch(
      `http://${this.endpoint.host}:${this.endpoint.port}${path}`,
      { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) },
      timeoutMs,
      this.options.signal,
      async (response) => ({ status: response.status, text: await response.text() }),
    );
  }

  /** GETs answer 503 with a full JSON body when the node is not what the endpoint asks for: the body counts. */
  private async getJson(path: string): Promise<Record<string, unknown>> {
    const { status, text } = await this.request('GET', path);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new PatroniError(`GET ${path}: HTTP ${status}, not JSON: ${text.slice(0, 200)}`, status);
    }
  }

  async status(): Promise<PatroniStatus> {
    const body = await this.getJson('/patroni');
    return {
      role: normalizePatroniRole(body.role),
      state: String(body.state ?? 'unknown'),
      timeline: typeof body.timeline === 'number' ? body.timeline : null,
      clusterUnlocked: body.cluster_unlocked === true,
      pendingRestart: body.pending_restart === true,
    };
  }

  async cluster(): Promise<ClusterStatus> {
    const body = await this.getJson('/cluster');
    const members = ((body.members as Record<string, unknown>[] | undefined) ?? []).map(
      (m): ClusterMember => ({
        name: String(m.name),
        role: normalizePatroniRole(m.role),
        state: String(m.state ?? 'unknown'),
        timeline: typeof m.timeline === 'number' ? m.timeline : null,
        lag: typeof m.lag === 'number' ? m.lag : null,
        syncStandby: m.role === 'sync_standby' || m.role === 'quorum_standby',
      }),
    );
    return { leader: members.find((m) => m.role === 'primary' || m.role === 'standby-leader')?.name ?? null, members };
  }

  /** GET /health: 200 when PostgreSQL is up and running. */
  async health(): Promise<boolean> {
    return (await this.request('GET', '/health')).status === 200;
  }

  /** Planned switchover (the leader hands over cleanly); resolves once Patroni reports it done. */
  async switchover(leader: string, candidate?: string): Promise<string> {
    return this.post('/switchover', { leader, ...(candidate ? { candidate } : {}) });
  }

  /** Manual failover to a named candidate, whether or not the leader is healthy. */
  async failover(candidate: string): Promise<string> {
    return this.post('/failover', { candidate });
  }

  /** Restarts this node's PostgreSQL through Patroni (the node keeps its role); resolves once Patroni reports it done. */
  async restart(): Promise<string> {
    return this.post('/restart', {});
  }

  private async post(path: string, body: object): Promise<string> {
    if (this.options.password === undefined) throw new PatroniError(`POST ${path} needs the REST API password`);
    const { status, text } = await this.request('POST', path, body, POST_TIMEOUT_MS);
    if (status !== 200) throw new PatroniError(`POST ${path} ${JSON.stringify(body)}: HTTP ${status}: ${text.trim()}`, status);
    return text.trim();
  }
}
