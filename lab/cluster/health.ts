/**
 * Lab health, judged from the outside through published ports: every etcd member healthy, exactly
 * one Patroni leader, and every other node a replica the leader sees streaming.
 */
import { LabError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { LabSpec } from '../spec/schema.js';
import { etcdHealth, etcdProblems, type EtcdHealth } from './etcd.js';
import { isRunningReplicaState, PatroniClient, type ClusterMember, type ClusterStatus } from './patroni.js';

export interface MemberStatus extends ClusterMember {
  /** The node's lab address (from the spec): what `patronictl list` shows as Host. */
  host: string;
}

export interface ClusterView {
  members: MemberStatus[];
  /** Names of the members the leader's pg_stat_replication lists as streaming. */
  streaming: string[];
  /** Why the leader's replication could not be read, when it could not. */
  replicationError?: string;
}

export interface HealthOptions {
  signal?: AbortSignal;
}

const STREAMING_SQL = "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'";

/**
 * Patroni 3.0 says `running` for a replica whatever its WAL receiver does: streaming is what the
 * leader's pg_stat_replication says (Patroni names each replica's connection after its member).
 * Asked inside the leader as the postgres user (peer authentication), so no password is needed.
 */
async function streamingFrom(provider: Pick<Provider, 'exec'>, leader: string, signal?: AbortSignal): Promise<string[]> {
  const r = await provider.exec(leader, ['runuser', '-u', 'postgres', '--', 'psql', '-XAtc', STREAMING_SQL], { timeoutMs: 10_000, signal });
  if (r.exitCode !== 0) throw new Error(r.stderr.trim() || `psql exit ${r.exitCode}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Patroni's /cluster from the first running node that answers, and what streams from the leader. */
export async function patroniView(provider: Pick<Provider, 'exec' | 'endpoints' | 'running'>, spec: Pick<LabSpec, 'nodes'>, options: HealthOptions = {}): Promise<ClusterView> {
  const running = new Set(await provider.running());
  let lastError = 'no node is running';
  for (const node of spec.nodes.filter((n) => running.has(n.name))) {
    let cluster: ClusterStatus;
    try {
      cluster = await new PatroniClient((await provider.endpoints(node.name)).patroni, { timeoutMs: 3000, signal: options.signal }).cluster();
    } catch (e) {
      options.signal?.throwIfAborted();
      lastError = `${node.name}: Patroni REST API not answering (${e instanceof Error ? e.message : String(e)})`;
      continue;
    }
    const members = cluster.members
      .map((m) => ({ ...m, host: spec.nodes.find((n) => n.name === m.name)?.ip ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (!cluster.leader || !running.has(cluster.leader)) return { members, streaming: [] };
    try {
      return { members, streaming: await streamingFrom(provider, cluster.leader, options.signal) };
    } catch (e) {
      options.signal?.throwIfAborted();
      return { members, streaming: [], replicationError: `${cluster.leader}: cannot read pg_stat_replication (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  throw new LabError(`no Patroni member answered: ${lastError}`);
}

/** With synchronous_mode on and no synchronous standby yet, a failover could promote nobody. */
export const NO_SYNC_STANDBY = 'patroni: synchronous_mode is on but no replica is a synchronous standby yet, so no failover could promote one';

/** What keeps a Patroni cluster view from being healthy; empty when it is. Pure. */
export function patroniProblems(view: ClusterView, spec: Pick<LabSpec, 'nodes' | 'patroni'>): string[] {
  const leaders = view.members.filter((m) => m.role === 'primary');
  const problems: string[] = [];
  if (leaders.length !== 1) problems.push(`patroni: ${leaders.length} leaders (${leaders.map((l) => l.name).join(', ') || 'none'}), expected exactly one`);
  if (view.replicationError) problems.push(view.replicationError);
  for (const node of spec.nodes) {
    const member = view.members.find((m) => m.name === node.name);
    if (!member) problems.push(`patroni: ${node.name} is not a member`);
    else if (member.role === 'primary') continue;
    else if (member.role !== 'replica' || !isRunningReplicaState(member.state)) problems.push(`patroni: ${node.name} is ${member.role}/${member.state}`);
    else if (!view.streaming.includes(node.name)) problems.push(`patroni: ${node.name} is not streaming from the leader (${member.state})`);
  }
  if (spec.patroni.synchronousMode && leaders.length === 1 && !view.members.some((m) => m.syncStandby)) problems.push(NO_SYNC_STANDBY);
  return problems;
}

export interface LabHealth extends ClusterView {
  healthy: boolean;
  etcd: EtcdHealth;
  problems: string[];
}

export async function labHealth(provider: Pick<Provider, 'exec' | 'endpoints' | 'running'>, spec: Pick<LabSpec, 'nodes' | 'patroni'>, options: HealthOptions = {}): Promise<LabHealth> {
  const etcd = await etcdHealth(provider, spec, options.signal);
  let view: ClusterView = { members: [], streaming: [] };
  const problems = etcdProblems(etcd, spec);
  try {
    view = await patroniView(provider, spec, options);
    problems.push(...patroniProblems(view, spec));
  } catch (e) {
    options.signal?.throwIfAborted();
    problems.push(e instanceof Error ? e.message : String(e));
  }
  return { healthy: problems.length === 0, etcd, ...view, problems };
}
