/**
 * One look at one node from the host, the only way the lab reads a node's state: its Patroni
 * (/patroni for its own role, /cluster for the DCS's view), its PostgreSQL (recovery and, on a
 * primary, who streams from it: SQL through pg) and its etcd member (HTTP /health). `lab up`,
 * `lab status` and the scenarios' sampler all take the same sample, and cluster/health.ts judges it.
 */
import type { NodeEndpoints } from '../providers/provider.js';
import type { LabAccess } from './access.js';
import { boundedFetch } from './bounded-fetch.js';
import { isRunningReplicaState, type PatroniRole } from './patroni.js';
import type { ServerRole } from './sql.js';

/** What PostgreSQL itself said when probed with SQL: the ground truth for "accepts writes". */
export type PgState = ServerRole | 'down';

export interface NodeSample {
  node: string;
  /** Patroni's REST API answered /patroni. */
  reachable: boolean;
  role: PatroniRole | null;
  /** Patroni's state: `running` (3.0 replicas and primaries), `streaming` (newer replicas), `starting`, `stopped`... */
  state: string | null;
  timeline: number | null;
  /** Replication lag in bytes as /cluster reports it; null when unknown or not a replica. */
  lag: number | null;
  /** The leader this node's /cluster names: a node, null for "no leader"; absent when /cluster did not answer. */
  leader?: string | null;
  /** The synchronous standbys this node's /cluster names (synchronous_mode); absent when /cluster did not answer. */
  syncStandbys?: string[];
  pg: PgState;
  /** On a primary: the standbys streaming from it (pg_stat_replication). Patroni 3.0 calls any replica `running`, so this is what proves streaming. */
  streaming?: string[];
  /** Patroni says a changed parameter waits for this node's restart; absent when /patroni did not answer. */
  pendingRestart?: boolean;
  /** This node's etcd member answered /health as healthy (it has a leader and is part of its quorum). */
  etcd: boolean;
}

export async function etcdMemberHealthy(
  endpoint: { host: string; port: number },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const body = await boundedFetch(
    `http://${endpoint.host}:${endpoint.port}/health`,
    {},
    timeoutMs,
    signal,
    async (r) => (await r.json()) as { health?: unknown },
  );
  return body.health === true || body.health === 'true';
}

/** Probes one node; never throws (each part that fails leaves its fields empty: silence is an observation too). */
export async function probeNode(access: LabAccess, node: string, timeoutMs: number, signal?: AbortSignal): Promise<NodeSample> {
  const empty: NodeSample = {
    node,
    reachable: false,
    role: null,
    state: null,
    timeline: null,
    lag: null,
    pg: 'down',
    etcd: false,
  };
  let endpoints: NodeEndpoints;
  try {
    endpoints = await access.endpoints(node);
  } catch {
    access.markStale(node);
    return empty;
  }
  const patroni = await access.patroni(node);
  const sql = await access.sql(node);
  const [status, cluster, pgRole, etcd] = await Promise.allSettled([
    patroni.status(),
    patroni.cluster(),
    sql.role(),
    etcdMemberHealthy(endpoints.etcd, timeoutMs, signal),
  ]);
  if (status.status === 'rejected' && pgRole.status === 'rejected') access.markStale(node);
  const sample = { ...empty };
  if (status.status === 'fulfilled')
    Object.assign(sample, {
      reachable: true,
      role: status.value.role,
      state: status.value.state,
      timeline: status.value.timeline,
      pendingRestart: status.value.pendingRestart,
    });
  if (cluster.status === 'fulfilled') {
    sample.leader = cluster.value.leader;
    sample.syncStandbys = cluster.value.members.filter((m) => m.syncStandby).map((m) => m.name);
    sample.lag = cluster.value.members.find((m) => m.name === node)?.lag ?? null;
  }
  if (pgRole.status === 'fulfilled') {
    sample.pg = pgRole.value.role;
    if (pgRole.value.role === 'primary') sample.streaming = pgRole.value.streaming;
  }
  sample.etcd = etcd.status === 'fulfilled' && etcd.value;
  return sample;
}

/** A node accepts writes when PostgreSQL answers and is not in recovery (Patroni's word is not enough: a frozen Patroni can sit on a live primary). */
export function acceptsWrites(s: NodeSample): boolean {
  return s.pg === 'primary';
}

/** Patroni calls the node a running replica (3.0: `running`, newer: `streaming`) and PostgreSQL is in recovery. */
export function isStreamingReplica(s: NodeSample): boolean {
  return s.role === 'replica' && isRunningReplicaState(s.state) && s.pg === 'replica';
}

/**
 * `replica` streams from `leader`: it is a running replica on the leader's timeline and the leader's
 * walsenders list it. Patroni's word alone is not enough: 3.0 says `running` for a replica whose WAL
 * receiver is stuck, e.g. on a diverged history that happens to carry the same timeline number.
 */
export function streamsFrom(replica: NodeSample, leader: NodeSample): boolean {
  return (
    isStreamingReplica(replica) &&
    acceptsWrites(leader) &&
    replica.timeline === leader.timeline &&
    (leader.streaming?.includes(replica.node) ?? false)
  );
}
