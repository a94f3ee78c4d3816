/**
 * Which node a step acts on. Roles are fixed once, when a step first names one (before the first
 * fault): `previous-leader` stays the node that led then, `replica-1`/`replica-2` the replicas then,
 * in name order. `leader` is whoever accepts writes when the step runs; `etcd-leader` the node whose
 * etcd member leads raft then (the engine asks etcd). A node name is itself.
 */
import { LabError } from '../errors.js';
import { NODE_NAME, type StringForm } from '../spec/schema.js';
import type { LiveView } from './history/live.js';
import { currentLeader } from './history/live.js';
import { streamsFrom } from '../cluster/probe.js';
import type { ChaosRole } from './faults/registry.js';

/** The node whose etcd member is the raft leader when the step runs: asked of etcd, not of the roster. */
export const ETCD_LEADER = 'etcd-leader';
/** The lab's HAProxy node (entry.haproxy), whatever its name: a scenario naming it needs a lab that has one. */
export const HAPROXY_NODE = 'haproxy-node';
/** What may be done to the HAProxy node: it runs no Patroni, etcd or PostgreSQL, so only the machine's own faults. */
export const HAPROXY_NODE_FAULTS: readonly string[] = ['crash-node'];

export const TARGET: StringForm = {
  pattern: `^(leader|previous-leader|replica-[1-9]|${ETCD_LEADER}|${HAPROXY_NODE}|${NODE_NAME.pattern.slice(1, -1)})$`,
  allowed: `leader, previous-leader, replica-1 to replica-9, ${ETCD_LEADER}, ${HAPROXY_NODE} or a node name`,
};

/** Whether a step of the scenario acts on the HAProxy node. Pure. */
export function targetsHaproxyNode(steps: readonly { kind: string; target?: string }[]): boolean {
  return steps.some((s) => s.kind === 'fault' && s.target === HAPROXY_NODE);
}

/** The roles as they were when the scenario first needed them. */
export interface Roster {
  leader: string;
  replicas: string[];
}

export function takeRoster(view: LiveView): Roster | undefined {
  const leader = currentLeader(view);
  if (!leader) return undefined;
  const replicas = [...view.latest.values()]
    .filter((s) => s.node !== leader.node && streamsFrom(s, leader))
    .map((s) => s.node)
    .sort();
  return { leader: leader.node, replicas };
}

export function resolveTarget(target: string, roster: Roster, view: LiveView, nodes: readonly string[]): string {
  if (target === 'leader') {
    const leader = currentLeader(view);
    if (!leader) throw new LabError('no node accepts writes now, so there is no `leader` to target');
    return leader.node;
  }
  if (target === 'previous-leader') return roster.leader;
  const replica = /^replica-(\d)$/.exec(target);
  if (replica) {
    const node = roster.replicas[Number(replica[1]) - 1];
    if (!node)
      throw new LabError(
        `${target}: there were only ${roster.replicas.length} streaming replica(s) (${roster.replicas.join(', ') || 'none'})`,
      );
    return node;
  }
  if (!nodes.includes(target)) throw new LabError(`${target} is not a node of this lab (${nodes.join(', ')})`);
  return target;
}

/**
 * The node a `lab chaos` role means now; never fails, because a random schedule meets a cluster in
 * any state. `pick` (drawn with the schedule, so the seed decides it too) chooses among the nodes
 * that fit, in name order. With no node accepting writes, `leader` and `replica` fall back to any node,
 * and `note` says so.
 */
export function resolveRole(
  role: ChaosRole,
  pick: number,
  view: LiveView,
  nodes: readonly string[],
): { node: string; note?: string } {
  const sorted = [...nodes].sort();
  const choose = (from: string[]) => from[pick % from.length]!;
  const leader = currentLeader(view)?.node;
  if (role === 'any') return { node: choose(sorted) };
  if (!leader) return { node: choose(sorted), note: `no node accepts writes now: ${role} taken as any node` };
  if (role === 'leader') return { node: leader };
  return { node: choose(sorted.filter((n) => n !== leader)) };
}
