/**
 * Which packets each partition shape drops on which node, as data (pure): the faults in
 * net-faults.ts turn a plan into iptables rules inside each node, and journal the plan so a heal
 * needs nothing else. Shapes follow Jepsen's nemeses (one node away, halves, majorities ring,
 * one-way) plus the lab's own (etcd traffic only, every node's etcd at once).
 */
import { SERVICE_PORTS } from '../../render/ports.js';

export interface NodeAddress {
  name: string;
  ip: string;
}

/** `in`: packets from `peer` are dropped; `out`: packets to it; `both`: either way. */
export type Direction = 'in' | 'out' | 'both';

export interface DropRule {
  /** The other end; absent: any address (the node's own loopback included), whichever the direction. */
  peer?: string;
  dir: Direction;
  /** Only TCP packets from or to these ports. */
  ports?: number[];
  /** Drop each matching packet with this probability (iptables statistic); absent: every one. */
  probability?: number;
}

/** The rules one node applies. */
export interface NodeCut {
  node: string;
  rules: DropRule[];
}

export const ETCD_PORTS = [SERVICE_PORTS.etcd, SERVICE_PORTS.etcdPeer];

const others = (nodes: readonly NodeAddress[], names: readonly string[]) => nodes.filter((n) => !names.includes(n.name));

/** Rules on both sides of every link between the two groups. */
function cutBetween(
  a: readonly NodeAddress[],
  b: readonly NodeAddress[],
  rule: Omit<DropRule, 'peer'> = { dir: 'both' },
): NodeCut[] {
  const side = (from: readonly NodeAddress[], to: readonly NodeAddress[]) =>
    from.map((n) => ({ node: n.name, rules: to.map((p) => ({ ...rule, peer: p.ip })) }));
  return [...side(a, b), ...side(b, a)].filter((c) => c.rules.length > 0);
}

/** The nodes in ring order starting at `target`: the order nodes are listed, rotated. */
function ringFrom(nodes: readonly NodeAddress[], target: string): NodeAddress[] {
  const i = nodes.findIndex((n) => n.name === target);
  return [...nodes.slice(i), ...nodes.slice(0, i)];
}

/** The target and the next nodes in ring order, floor(n/2) in all (the minority), against the rest. */
export function halves(nodes: readonly NodeAddress[], target: string): NodeCut[] {
  const first = ringFrom(nodes, target).slice(0, Math.max(1, Math.floor(nodes.length / 2)));
  return cutBetween(
    first,
    others(
      nodes,
      first.map((n) => n.name),
    ),
  );
}

/**
 * Every node accepts packets from a majority (itself and its ring neighbours), and no two nodes see
 * the same majority: each drops what comes in from the rest. With three nodes a majority is two, so
 * each node hears only its successor; over TCP, which needs both directions, no two nodes then talk.
 */
export function majoritiesRing(nodes: readonly NodeAddress[], target: string): NodeCut[] {
  const ring = ringFrom(nodes, target);
  const n = ring.length;
  const majority = Math.floor(n / 2) + 1;
  const back = Math.floor((majority - 1) / 2);
  return ring
    .map((node, i) => {
      const seen = new Set(Array.from({ length: majority }, (_, k) => ring[(i - back + k + n) % n]!.name));
      return { node: node.name, rules: ring.filter((p) => !seen.has(p.name)).map((p) => ({ peer: p.ip, dir: 'in' as const })) };
    })
    .filter((c) => c.rules.length > 0);
}

/** The target's packets to the peers (`out`) or from them (`in`) are dropped; the other way passes. */
export function oneWay(nodes: readonly NodeAddress[], target: string, dir: 'in' | 'out', to?: string): NodeCut[] {
  return [{ node: target, rules: peersOf(nodes, target, to).map((p) => ({ peer: p.ip, dir })) }];
}

/** etcd's client and peer traffic between the target and the others; PostgreSQL streaming and Patroni's REST API pass. */
export function etcdOnly(nodes: readonly NodeAddress[], target: string): NodeCut[] {
  return cutBetween(
    nodes.filter((n) => n.name === target),
    others(nodes, [target]),
    { dir: 'both', ports: ETCD_PORTS },
  );
}

/** Every node's etcd (client and peer ports) unreachable from anywhere, its own node included. */
export function dcsOutage(nodes: readonly NodeAddress[]): NodeCut[] {
  return nodes.map((n) => ({ node: n.name, rules: [{ dir: 'in' as const, ports: ETCD_PORTS }] }));
}

/** The peers of `target`: just `to` for one link, every other node otherwise. */
export function peersOf(nodes: readonly NodeAddress[], target: string, to?: string): NodeAddress[] {
  return nodes.filter((n) => n.name !== target && (!to || n.name === to));
}

/** Random loss on the target's links with its peers (or one), both ways. */
export function loss(nodes: readonly NodeAddress[], target: string, percent: number, to?: string): NodeCut[] {
  return [
    {
      node: target,
      rules: peersOf(nodes, target, to).map((p) => ({ peer: p.ip, dir: 'both' as const, probability: percent / 100 })),
    },
  ];
}
