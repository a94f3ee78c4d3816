/**
 * What "healthy" means, defined once: exactly one node accepts writes and its Patroni calls it a
 * running primary, every other node streams from it on its timeline (in the leader's
 * pg_stat_replication), every node's etcd member is healthy and (when the member list is known) a
 * member, and with synchronous_mode a synchronous standby is named. `lab up`, `lab status` and the
 * scenarios' `healthy` condition all judge node samples (cluster/probe.ts) with `healthProblems`.
 */
import type { LabSpec } from '../spec/schema.js';
import type { LabAccess } from './access.js';
import { etcdMembers } from './etcd.js';
import { acceptsWrites, probeNode, streamsFrom, type NodeSample } from './probe.js';

export interface HealthInput {
  nodes: readonly string[];
  samples: ReadonlyMap<string, NodeSample>;
  synchronousMode: boolean;
  /** Names etcd lists as members; absent when not asked (the scenarios' sampler does not). */
  etcdMembers?: readonly string[];
}

export interface HealthJudgement {
  problems: string[];
  /** The one node accepting writes, when there is exactly one. */
  leader?: NodeSample;
}

/** A node as one line: what a problem or a timed-out wait reports. */
export function describeSample(s: NodeSample | undefined, node: string): string {
  if (!s) return `${node}: not sampled yet`;
  return `${node}: ${s.reachable ? `${s.role}/${s.state} tl ${s.timeline ?? '?'}` : 'patroni silent'}, postgres ${s.pg}${s.etcd ? '' : ', etcd unhealthy'}`;
}

/** With synchronous_mode on and no synchronous standby yet, a failover could promote nobody. */
export const NO_SYNC_STANDBY =
  'synchronous_mode is on but no replica is a synchronous standby yet, so no failover could promote one';

/** Pure: every reason the samples are not a healthy lab; none when they are. */
export function healthProblems(input: HealthInput): HealthJudgement {
  const samples = input.nodes.map((n) => input.samples.get(n)).filter((s): s is NodeSample => s !== undefined);
  const writable = samples.filter(acceptsWrites);
  const problems: string[] = [];
  if (writable.length !== 1)
    problems.push(
      writable.length === 0
        ? 'no node accepts writes'
        : `${writable
            .map((s) => s.node)
            .sort()
            .join(' and ')} accept writes at once`,
    );
  const leader = writable.length === 1 ? writable[0] : undefined;
  for (const node of input.nodes) {
    const s = input.samples.get(node);
    const members = input.etcdMembers;
    if (members && !members.includes(node))
      problems.push(`etcd: ${node} is not a member of the cluster (${members.join(', ') || 'no members'})`);
    if (!s) {
      problems.push(describeSample(s, node));
      continue;
    }
    if (!s.etcd) problems.push(`etcd: ${node}'s member is not healthy`);
    if (!leader) continue;
    if (s === leader) {
      if (s.role !== 'primary' || s.state !== 'running')
        problems.push(`${describeSample(s, node)}: accepts writes but Patroni does not call it a running primary`);
    } else if (!streamsFrom(s, leader)) {
      problems.push(
        `${describeSample(s, node)}: not streaming from ${leader.node} (which streams to ${leader.streaming?.join(', ') || 'nobody'})`,
      );
    }
  }
  if (input.synchronousMode && leader && !leader.syncStandbys?.length) problems.push(NO_SYNC_STANDBY);
  return { problems, ...(leader ? { leader } : {}) };
}

export interface LabHealth {
  healthy: boolean;
  problems: string[];
  /** One sample of every node, in the spec's order. */
  samples: NodeSample[];
  /** etcd's member names, from the first node that answered; absent when none did. */
  etcdMembers?: string[];
  leader?: string;
}

const PROBE_TIMEOUT_MS = 2000;

/** Samples every node once (in parallel, each bounded) and judges them. */
export async function labHealth(
  access: LabAccess,
  spec: Pick<LabSpec, 'nodes' | 'patroni'>,
  options: { signal?: AbortSignal } = {},
): Promise<LabHealth> {
  const nodes = spec.nodes.map((n) => n.name);
  const samples = await Promise.all(nodes.map((n) => probeNode(access, n, PROBE_TIMEOUT_MS, options.signal)));
  options.signal?.throwIfAborted();
  let members: string[] | undefined;
  for (const node of nodes) {
    try {
      members = (await etcdMembers((await access.endpoints(node)).etcd, PROBE_TIMEOUT_MS, options.signal)).map((m) => m.name);
      break;
    } catch {
      options.signal?.throwIfAborted(); // this member cannot answer: ask the next
    }
  }
  const judged = healthProblems({
    nodes,
    samples: new Map(samples.map((s) => [s.node, s])),
    synchronousMode: spec.patroni.synchronousMode,
    ...(members ? { etcdMembers: members } : {}),
  });
  if (!members) judged.problems.unshift('etcd: no member answered the member list');
  return {
    healthy: judged.problems.length === 0,
    problems: judged.problems,
    samples,
    ...(members ? { etcdMembers: members } : {}),
    ...(judged.leader ? { leader: judged.leader.node } : {}),
  };
}
