/**
 * etcd's member list, asked of a member's published client port over etcd's HTTP gateway
 * (POST /v3/cluster/member/list): which nodes are in the cluster. A member's own health is part of
 * every node sample (cluster/probe.ts); membership is what tells a lone etcd from a cluster member.
 */
import { boundedFetch } from './bounded-fetch.js';
import type { Endpoint } from './patroni.js';

export interface EtcdMember {
  /** The member's id, as etcd's gateway writes a uint64: a decimal string. */
  id: string;
  /** Empty for a member that was added but has not started yet. */
  name: string;
  clientUrls: string[];
}

/** Parses the gateway's answer; throws when it is not a member list. Pure. */
export function parseMemberList(body: unknown): EtcdMember[] {
  const members = (body as { members?: unknown })?.members;
  if (!Array.isArray(members)) throw new Error(`not an etcd member list: ${JSON.stringify(body).slice(0, 200)}`);
  return members.map((m: { ID?: unknown; name?: unknown; clientURLs?: unknown }) => ({
    id: String(m.ID ?? ''),
    name: typeof m.name === 'string' ? m.name : '',
    clientUrls: Array.isArray(m.clientURLs) ? m.clientURLs.map(String) : [],
  }));
}

async function post(endpoint: Endpoint, path: string, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const init = { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } };
  return boundedFetch(`http://${endpoint.host}:${endpoint.port}${path}`, init, timeoutMs, signal, (r) => r.json());
}

/** The raft leader's member id in a member's POST /v3/maintenance/status answer; throws when it names none. Pure. */
export function parseLeaderId(body: unknown): string {
  const leader = (body as { leader?: unknown })?.leader;
  if ((typeof leader !== 'string' && typeof leader !== 'number') || String(leader) === '0')
    throw new Error(`no raft leader in etcd's status: ${JSON.stringify(body).slice(0, 200)}`);
  return String(leader);
}

/**
 * The name of etcd's raft leader, asked of the first member (of `endpoints`, in order) that answers
 * with a leader; throws with every member's reason when none does.
 */
export async function etcdLeaderName(endpoints: readonly Endpoint[], timeoutMs: number): Promise<string> {
  const reasons: string[] = [];
  for (const endpoint of endpoints) {
    try {
      const leader = parseLeaderId(await post(endpoint, '/v3/maintenance/status', timeoutMs));
      const member = (await etcdMembers(endpoint, timeoutMs)).find((m) => m.id === leader);
      if (member?.name) return member.name;
      reasons.push(`${endpoint.host}:${endpoint.port}: leader ${leader} is not in its member list`);
    } catch (e) {
      reasons.push(`${endpoint.host}:${endpoint.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no etcd member named a raft leader (${reasons.join('; ')})`);
}

export async function etcdMembers(endpoint: Endpoint, timeoutMs: number, signal?: AbortSignal): Promise<EtcdMember[]> {
  return parseMemberList(await post(endpoint, '/v3/cluster/member/list', timeoutMs, signal));
}
