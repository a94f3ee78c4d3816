/**
 * Faults that drop packets with iptables inside the nodes: the partition shapes of
 * partition-shapes.ts, random packet loss, and an outage of every etcd member. Each fault has a chain
 * of its own (LAB-<FAULT>), jumped to from INPUT and OUTPUT, so two of them can overlap and each heal
 * removes exactly its own. The journaled record is the plan itself: which node drops what.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SERVICE_PORTS } from '../../render/ports.js';
import { fault, run, type FaultContext, type FaultDefinition, type FaultRequest, type HealContext } from './kit.js';
import {
  dcsOutage,
  etcdOnly,
  halves,
  loss,
  majoritiesRing,
  oneWay,
  peersOf,
  type DropRule,
  type NodeAddress,
  type NodeCut,
} from './partition-plans.js';

/** "partition-halves" -> "LAB-PARTITION-HALVES" (iptables allows 28 characters). Pure. */
export const chainOf = (faultName: string): string => `LAB-${faultName.toUpperCase()}`.slice(0, 28);

/** Idempotent: removes exactly the chain, whether or not it is there. Pure. */
export function removeChainScript(chain: string): string {
  return [
    `iptables -D INPUT -j ${chain} 2>/dev/null || true`,
    `iptables -D OUTPUT -j ${chain} 2>/dev/null || true`,
    `iptables -F ${chain} 2>/dev/null || true`,
    `iptables -X ${chain} 2>/dev/null || true`,
  ].join('; ');
}

function ruleArgs(rule: DropRule): string[] {
  const peer =
    rule.peer === undefined
      ? [[]]
      : rule.dir === 'both'
        ? [
            ['-s', rule.peer],
            ['-d', rule.peer],
          ]
        : [[rule.dir === 'in' ? '-s' : '-d', rule.peer]];
  const ports = rule.ports ? ['-p', 'tcp', '-m', 'multiport', '--ports', rule.ports.join(',')] : [];
  const chance =
    rule.probability !== undefined ? ['-m', 'statistic', '--mode', 'random', '--probability', String(rule.probability)] : [];
  return peer.map((p) => [...p, ...ports, ...chance, '-j', 'DROP'].join(' '));
}

/** Replaces the chain with these rules and jumps to it first from INPUT and OUTPUT. Pure. */
export function chainScript(chain: string, rules: readonly DropRule[]): string {
  return [
    removeChainScript(chain),
    `iptables -N ${chain}`,
    ...rules.flatMap(ruleArgs).map((r) => `iptables -A ${chain} ${r}`),
    `iptables -I INPUT -j ${chain}`,
    `iptables -I OUTPUT -j ${chain}`,
  ].join(' && ');
}

/**
 * Removes the chain, then aborts the node's etcd peer connections (`ss -K`, which also sends the
 * peer a reset). An etcd member that kept writing into the cut (stream heartbeats) holds a TCP
 * connection in retransmit backoff; after the heal its messages arrive only at the next retry, which
 * was seen to be 37 s later: the next partition then found two members unable to elect a leader.
 * Both ends reconnect at once instead. Prints how many connections it reset. No peers: all of them.
 */
export function healChainScript(chain: string, peers: readonly string[]): string {
  const ports = `( sport = :${SERVICE_PORTS.etcdPeer} or dport = :${SERVICE_PORTS.etcdPeer} )`;
  const filter = peers.length > 0 ? `( ${peers.map((ip) => `dst ${ip}`).join(' or ')} ) and ${ports}` : ports;
  return `${removeChainScript(chain)}; ss -HKtn '${filter}' | wc -l`;
}

/** The heal of the one-node partition, as it always was. */
export const healPartitionScript = (peers: string[]): string => healChainScript(chainOf('partition'), peers);

const addresses = (ctx: FaultContext): NodeAddress[] => ctx.spec.nodes.map((n) => ({ name: n.name, ip: n.ip }));

// Addresses only: they go into a shell command.
const Ip = Type.String({ pattern: '^[0-9A-Fa-f:.]+$' });
const CutsSchema = Type.Object(
  {
    cuts: Type.Array(
      Type.Object(
        {
          node: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
          rules: Type.Array(
            Type.Object(
              {
                peer: Type.Optional(Ip),
                dir: Type.Union([Type.Literal('in'), Type.Literal('out'), Type.Literal('both')]),
                ports: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }))),
                probability: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    /** Every lab node's address, for the etcd connection reset of the heal. */
    peers: Type.Array(Ip),
  },
  { additionalProperties: false },
);
type Cuts = Static<typeof CutsSchema>;

async function chainInForce(ctx: HealContext, node: string, chain: string): Promise<string | null> {
  const r = await ctx.provider.exec(node, ['iptables', '-S', chain], { timeoutMs: 15_000 });
  return r.exitCode === 0 ? `${node}: ${chain} chain present (${r.stdout.trim().split('\n').length - 1} rule(s))` : null;
}

function describeCuts(cuts: readonly NodeCut[]): string {
  return cuts.map((c) => `${c.node}: ${c.rules.length} drop rule(s)`).join('; ');
}

/** A fault whose whole effect is the plan's iptables rules, on one node or several. */
function cutFault(
  name: string,
  describe: string,
  plan: (nodes: NodeAddress[], request: FaultRequest) => NodeCut[],
  extra: Pick<FaultDefinition, 'params' | 'to' | 'needs' | 'chaos'> = {},
): FaultDefinition {
  const chain = chainOf(name);
  return fault({
    name,
    describe: `${describe} (iptables chain ${chain} inside each node it touches); heal: remove the chain and reset etcd peer connections left in TCP retransmit backoff`,
    needs: 'iptables',
    ...extra,
    async inject(ctx, _request, record) {
      // Every node at once: a docker exec takes a second or more on a busy host.
      await Promise.all(record!.cuts.map((cut) => run(ctx, cut.node, ['sh', '-c', chainScript(chain, cut.rules)])));
      return describeCuts(record!.cuts);
    },
    undo: {
      schema: CutsSchema,
      record: async (ctx, request) => ({ cuts: plan(addresses(ctx), request), peers: ctx.spec.nodes.map((n) => n.ip) }),
      async heal(ctx, _node, { cuts, peers }: Cuts) {
        const done = await Promise.all(
          cuts.map(async ({ node }) => `${node}: reset ${await run(ctx, node, ['sh', '-c', healChainScript(chain, peers)])}`),
        );
        return `removed ${chain}; etcd peer connections ${done.join(', ')}`;
      },
      async inForce(ctx, _node, { cuts }: Cuts) {
        const seen = await Promise.all(cuts.map(({ node }) => chainInForce(ctx, node, chain)));
        return seen.filter(Boolean).join('; ') || null;
      },
    },
  });
}

const PARTITION_CHAIN = chainOf('partition');

/** Flapping: a loop inside the node, so it keeps its rhythm whatever the run does, and ends by itself. */
const FLAP_PID = '/run/lab-partition-flapping.pid';

/** The loop: cut for periodS, heal for periodS, `cycles` times, then healed. Pure. */
export function flapScript(peers: readonly string[], periodS: number, cycles: number): string {
  const chain = chainOf('partition-flapping');
  const cut = chainScript(
    chain,
    peers.map((ip) => ({ peer: ip, dir: 'both' as const })),
  );
  const heal = `${healChainScript(chain, peers)} >/dev/null`;
  return `echo $$ > ${FLAP_PID}; i=0; while [ $i -lt ${cycles} ]; do ${cut}; sleep ${periodS}; ${heal}; sleep ${periodS}; i=$((i + 1)); done; rm -f ${FLAP_PID}`;
}

/**
 * Ends the loop (its whole process group: setsid made it a group leader), then heals. procps' kill
 * through env: dash's builtin takes no process group ("Illegal number: -"), and a loop that went on
 * flapping after its heal was seen. Pure.
 */
export function stopFlapScript(peers: readonly string[]): string {
  return `if [ -f ${FLAP_PID} ]; then env kill -TERM -- "-$(cat ${FLAP_PID})" 2>/dev/null || true; rm -f ${FLAP_PID}; fi; ${healChainScript(chainOf('partition-flapping'), peers)}`;
}

const FlapParams = Type.Object(
  {
    periodS: Type.Integer({ minimum: 1, maximum: 300, default: 5, description: 'Seconds cut, then seconds healed, in turn' }),
    forS: Type.Integer({
      minimum: 2,
      maximum: 7200,
      default: 600,
      description: 'The loop ends by itself after this long (bounded even if no heal comes)',
    }),
  },
  { additionalProperties: false },
);

export const NET_FAULTS: FaultDefinition[] = [
  fault({
    name: 'partition',
    describe: `cut the node off from the other nodes (iptables DROP in chain ${PARTITION_CHAIN} inside it); heal: remove the chain and reset the node's etcd peer connections left in TCP retransmit backoff`,
    needs: 'iptables',
    async inject(ctx, { node }, record) {
      await run(ctx, node, [
        'sh',
        '-c',
        chainScript(
          PARTITION_CHAIN,
          record!.peers.map((ip) => ({ peer: ip, dir: 'both' as const })),
        ),
      ]);
      return `DROP to/from ${record!.peers.join(', ')}`;
    },
    undo: {
      schema: Type.Object({ peers: Type.Array(Ip, { minItems: 1 }) }, { additionalProperties: false }),
      record: async (ctx, { node }) => ({ peers: ctx.spec.nodes.filter((n) => n.name !== node).map((n) => n.ip) }),
      heal: async (ctx, node, { peers }) =>
        `removed ${PARTITION_CHAIN}, reset ${await run(ctx, node, ['sh', '-c', healPartitionScript(peers)])} etcd peer connection(s)`,
      inForce: (ctx, node) => chainInForce(ctx, node, PARTITION_CHAIN),
    },
    chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 40_000], overlap: true },
  }),
  cutFault(
    'partition-halves',
    'split the lab in two: the target and the next nodes (floor(n/2) in all) against the rest',
    (nodes, { node }) => halves(nodes, node),
    {
      chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 30_000], overlap: false },
    },
  ),
  cutFault(
    'partition-ring',
    'majorities ring: each node takes packets only from a majority (itself and its ring neighbours, ring order from the target), no two the same; with three nodes each hears only its successor, so over TCP no two nodes talk',
    (nodes, { node }) => majoritiesRing(nodes, node),
    { chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 30_000], overlap: false } },
  ),
  cutFault(
    'partition-inbound',
    "one-way: the target's packets go out, none come in from its peers (or from `to:`)",
    (nodes, { node, to }) => oneWay(nodes, node, 'in', to),
    {
      to: 'optional',
      chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 30_000], overlap: true },
    },
  ),
  cutFault(
    'partition-outbound',
    "one-way: the target's packets to its peers (or to `to:`) are dropped, theirs come in",
    (nodes, { node, to }) => oneWay(nodes, node, 'out', to),
    {
      to: 'optional',
      chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 30_000], overlap: true },
    },
  ),
  cutFault(
    'partition-etcd',
    "cut etcd's client and peer traffic between the target and the other nodes; PostgreSQL streaming and Patroni's REST API still pass",
    (nodes, { node }) => etcdOnly(nodes, node),
    {
      chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 30_000], overlap: true },
    },
  ),
  cutFault(
    'dcs-outage',
    'make every etcd member unreachable (client and peer ports dropped on every node, loopback included); the target is ignored',
    (nodes) => dcsOutage(nodes),
    {
      chaos: { roles: ['any'], holdMs: [10_000, 30_000], overlap: false },
    },
  ),
  cutFault(
    'packet-loss',
    'drop a share of the packets between the target and its peers (or `to:`), each way (iptables statistic)',
    (nodes, { node, to, params }) => loss(nodes, node, Number(params!['percent']), to),
    {
      to: 'optional',
      needs: 'statistic',
      chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 40_000], overlap: true },
      params: Type.Object(
        { percent: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Percent of packets dropped, each way' }) },
        { additionalProperties: false },
      ),
    },
  ),
  fault({
    name: 'partition-flapping',
    describe:
      'cut the target off from the other nodes and heal it, again and again (every `periodS` seconds, for at most `forS`), by a loop inside the node; heal: end the loop, remove the chain, reset etcd peer connections',
    needs: 'iptables',
    params: FlapParams,
    chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 30_000], overlap: false },
    async inject(ctx, { node }, record) {
      const { peers, periodS, forS } = record!;
      const loop = flapScript(peers, periodS, Math.max(1, Math.floor(forS / (2 * periodS))));
      // Detached, with nothing of the exec's to hold open: the exec returns at once.
      await run(ctx, node, ['sh', '-c', 'setsid sh -c "$1" </dev/null >/dev/null 2>&1 &', 'sh', loop]);
      return `cut and heal every ${periodS} s for at most ${forS} s`;
    },
    undo: {
      schema: Type.Object(
        { peers: Type.Array(Ip, { minItems: 1 }), periodS: Type.Integer({ minimum: 1 }), forS: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false },
      ),
      record: async (ctx, { node, params }) => ({
        peers: peersOf(addresses(ctx), node).map((n) => n.ip),
        ...(params as Static<typeof FlapParams>),
      }),
      heal: async (ctx, node, { peers }) =>
        `ended the loop, reset ${await run(ctx, node, ['sh', '-c', stopFlapScript(peers)])} etcd peer connection(s)`,
      async inForce(ctx, node) {
        const loop =
          (
            await ctx.provider.exec(node, ['sh', '-c', `[ -f ${FLAP_PID} ] && kill -0 "$(cat ${FLAP_PID})" 2>/dev/null`], {
              timeoutMs: 15_000,
            })
          ).exitCode === 0;
        const chain = await chainInForce(ctx, node, chainOf('partition-flapping'));
        return [loop ? 'the flapping loop runs' : null, chain].filter(Boolean).join('; ') || null;
      },
    },
  }),
];
