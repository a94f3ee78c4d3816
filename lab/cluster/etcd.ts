/**
 * etcd's member list, asked of a member's published client port over etcd's HTTP gateway
 * (POST /v3/cluster/member/list): which nodes are in the cluster. A member's own health is part of
 * every node sample (cluster/probe.ts); membership is what tells a lone etcd from a cluster member.
 */
import { boundedFetch } from './bounded-fetch.js';
import type { Endpoint } from './patroni.js';

export interface EtcdMember {
  /** Empty for a member that was added but has not started yet. */
  name: string;
  clientUrls: string[];
}

/** Parses the gateway's answer; throws when it is not a member list. Pure. */
export function parseMemberList(body: unknown): EtcdMember[] {
  const members = (body as { members?: unknown })?.members;
  if (!Array.isArray(members)) throw new Error(`not an etcd member list: ${JSON.stringify(body).slice(0, 200)}`);
  return members.map((m: { name?: unknown; clientURLs?: unknown }) => ({
    name: typeof m.name === 'string' ? m.name : '',
    clientUrls: Array.isArray(m.clientURLs) ? m.clientURLs.map(String) : [],
  }));
}

export async function etcdMembers(endpoint: Endpoint, timeoutMs: number, signal?: AbortSignal): Promise<EtcdMember[]> {
  const init = { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } };
  return boundedFetch(`http://${endpoint.host}:${endpoint.port}/v3/cluster/member/list`, init, timeoutMs, signal, async (r) => parseMemberList(await r.json()));
}
