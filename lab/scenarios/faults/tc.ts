/**
 * Slow links: a bandwidth limit and added latency on the packets a node sends to its peers (or to one
 * peer, `to:`), shaped on the way out of the node's lab interface. Latency uses netem where the
 * node's kernel has it; where it does not (this CI host), NFQUEUE and the lab's delayer
 * (templates/files/lab-delay.py), which holds each packet in userspace. Both shapers go under one
 * htb root on the interface, so a node takes one of them at a time (the second fails at inject).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { LabError } from '../../errors.js';
import { probeFeatures } from '../../cluster/fault-mechanisms.js';
import { packageRoot } from '../../render/package-files.js';
import { fault, run, type FaultContext, type FaultDefinition, type FaultRequest, type HealContext } from './kit.js';
import { chainOf, removeChainScript } from './iptables.js';
import { peersOf } from './partition-plans.js';

/** The shell variable `dev`: the interface that holds `ip`. Pure. */
export function findDevScript(ip: string): string {
  return `dev=$(ip -o -4 addr show | awk -v ip=${ip} '{ split($4, a, "/"); if (a[1] == ip) print $2 }' | head -n 1); [ -n "$dev" ] || { echo "no interface holds ${ip}" >&2; exit 1; }`;
}

/**
 * An htb root whose default class is unlimited and whose class 1:10 takes the packets to `peers`
 * (u32 filters), with `leaf` (a qdisc) under it when given. `tc qdisc add`, not replace: a second
 * shaper on the same node fails instead of silently replacing the first. Pure.
 */
export function shapeScript(ip: string, peers: readonly string[], rate: string, leaf?: string): string {
  return [
    findDevScript(ip),
    'tc qdisc add dev "$dev" root handle 1: htb default 1',
    'tc class add dev "$dev" parent 1: classid 1:1 htb rate 10gbit quantum 1514',
    `tc class add dev "$dev" parent 1: classid 1:10 htb rate ${rate} quantum 1514`,
    ...(leaf ? [`tc qdisc add dev "$dev" parent 1:10 handle 10: ${leaf}`] : []),
    ...peers.map((p) => `tc filter add dev "$dev" parent 1: protocol ip prio 1 u32 match ip dst ${p}/32 flowid 1:10`),
  ].join(' && ');
}

/** Idempotent: removes the htb root if there is one. Pure. */
export const unshapeScript = (ip: string): string =>
  `${findDevScript(ip)}; if tc qdisc show dev "$dev" root | grep -q '^qdisc htb 1:'; then tc qdisc del dev "$dev" root; fi`;

async function shaped(ctx: HealContext, node: string, ip: string): Promise<string | null> {
  const out = await run(ctx, node, ['sh', '-c', `${findDevScript(ip)}; tc qdisc show dev "$dev"`]);
  return /^qdisc htb 1:/m.test(out) ? `${node}: htb shaping on its lab interface` : null;
}

const Ip = Type.String({ pattern: '^[0-9A-Fa-f:.]+$' });
const ownIp = (ctx: FaultContext, node: string): string => ctx.spec.nodes.find((n) => n.name === node)!.ip;
const peerIps = (ctx: FaultContext, { node, to }: FaultRequest): string[] => peersOf(ctx.spec.nodes, node, to).map((n) => n.ip);
const toWhom = (request: FaultRequest): string => (request.to ? `to ${request.to}` : 'to every peer');

const DELAY_QUEUE = 4271;
const DELAY_CHAIN = chainOf('latency');
const DELAY_PID = '/run/lab-delay.pid';
const DELAY_READY = '/run/lab-delay.ready';

/** Starts the delayer detached, waits (bounded) until it holds the queue, then queues the node's packets to `peers`. Pure. */
export function delayerScript(peers: readonly string[], p: { delayMs: number; jitterMs: number; forS: number }): string {
  return [
    `rm -f ${DELAY_READY}`,
    `setsid python3 -c "$1" ${DELAY_QUEUE} ${p.delayMs} ${p.jitterMs} ${p.forS} ${DELAY_PID} ${DELAY_READY} </dev/null >/dev/null 2>/run/lab-delay.log &`,
    `i=0; while [ ! -f ${DELAY_READY} ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done`,
    `[ -f ${DELAY_READY} ] || { echo "the delayer did not take NFQUEUE ${DELAY_QUEUE}: $(cat /run/lab-delay.log)" >&2; exit 1; }`,
    removeChainScript(DELAY_CHAIN),
    [
      `iptables -N ${DELAY_CHAIN}`,
      ...peers.map((p) => `iptables -A ${DELAY_CHAIN} -d ${p} -j NFQUEUE --queue-num ${DELAY_QUEUE} --queue-bypass`),
      `iptables -I OUTPUT -j ${DELAY_CHAIN}`,
    ].join(' && '),
  ].join('\n');
}

/** Idempotent: stops queueing, then ends the delayer (it lets what it holds go). Pure. */
export const stopDelayerScript = (): string =>
  `${removeChainScript(DELAY_CHAIN)}; if [ -f ${DELAY_PID} ]; then kill -TERM "$(cat ${DELAY_PID})" 2>/dev/null || true; fi; i=0; while [ -f ${DELAY_PID} ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done; rm -f ${DELAY_PID} ${DELAY_READY}`;

const LatencyParams = Type.Object(
  {
    delayMs: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 200,
      description: 'Added one-way delay of the packets the target sends, in ms',
    }),
    jitterMs: Type.Integer({
      minimum: 0,
      maximum: 10_000,
      default: 0,
      description: 'Each packet is delayed by delayMs plus or minus up to this, in ms',
    }),
    forS: Type.Integer({
      minimum: 1,
      maximum: 7200,
      default: 1800,
      description: 'The NFQUEUE delayer ends by itself after this long, should no heal come',
    }),
  },
  { additionalProperties: false },
);

const LatencyRecord = Type.Object(
  {
    ip: Ip,
    peers: Type.Array(Ip, { minItems: 1 }),
    how: Type.Union([Type.Literal('netem'), Type.Literal('nfqueue')]),
    delayMs: Type.Integer(),
    jitterMs: Type.Integer(),
    forS: Type.Integer(),
  },
  { additionalProperties: false },
);

async function delayerSource(): Promise<string> {
  return readFile(path.join(packageRoot(), 'templates/files/lab-delay.py'), 'utf8');
}

export const LINK_FAULTS: FaultDefinition[] = [
  fault({
    name: 'bandwidth',
    describe:
      'limit what the target sends to its peers (or to `to:`) to `kbit` kbit/s (tc htb on its lab interface, egress); heal: remove the htb root',
    to: 'optional',
    needs: 'htb',
    chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 40_000], overlap: true },
    params: Type.Object(
      { kbit: Type.Integer({ minimum: 8, maximum: 10_000_000, default: 1000, description: 'The limit, in kbit/s' }) },
      { additionalProperties: false },
    ),
    async inject(ctx, request, record) {
      await run(ctx, request.node, ['sh', '-c', shapeScript(record!.ip, record!.peers, `${record!.kbit}kbit`)]);
      return `${record!.kbit} kbit/s ${toWhom(request)}`;
    },
    undo: {
      schema: Type.Object(
        { ip: Ip, peers: Type.Array(Ip, { minItems: 1 }), kbit: Type.Integer() },
        { additionalProperties: false },
      ),
      record: async (ctx, request) => ({
        ip: ownIp(ctx, request.node),
        peers: peerIps(ctx, request),
        kbit: Number(request.params!['kbit']),
      }),
      async heal(ctx, node, { ip }) {
        await run(ctx, node, ['sh', '-c', unshapeScript(ip)]);
        return 'removed the htb root';
      },
      inForce: (ctx, node, { ip }) => shaped(ctx, node, ip),
    },
  }),
  fault({
    name: 'latency',
    describe:
      'delay what the target sends to its peers (or to `to:`) by `delayMs` plus or minus `jitterMs` (tc netem where the kernel has it; otherwise NFQUEUE and the lab delayer, in arrival order); heal: remove it',
    to: 'optional',
    needs: 'delay',
    chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 40_000], overlap: true },
    params: LatencyParams,
    async inject(ctx, request, record) {
      const r = record!;
      if (r.how === 'netem')
        await run(ctx, request.node, [
          'sh',
          '-c',
          shapeScript(r.ip, r.peers, '10gbit', `netem delay ${r.delayMs}ms ${r.jitterMs}ms`),
        ]);
      else await run(ctx, request.node, ['sh', '-c', delayerScript(r.peers, r), 'sh', await delayerSource()]);
      return `${r.delayMs} ms ± ${r.jitterMs} ms ${toWhom(request)} (${r.how})`;
    },
    undo: {
      schema: LatencyRecord,
      async record(ctx, request) {
        const f = await probeFeatures(ctx.provider, request.node);
        if (!f.netem && !f.nfqueue)
          throw new LabError(`${request.node}: its kernel has neither sch_netem nor NFQUEUE: no way to add latency`);
        return {
          ip: ownIp(ctx, request.node),
          peers: peerIps(ctx, request),
          how: f.netem ? ('netem' as const) : ('nfqueue' as const),
          ...(request.params as Static<typeof LatencyParams>),
        };
      },
      async heal(ctx, node, { ip, how }) {
        await run(ctx, node, ['sh', '-c', how === 'netem' ? unshapeScript(ip) : stopDelayerScript()]);
        return how === 'netem' ? 'removed the htb root and its netem' : 'removed the NFQUEUE rules, ended the delayer';
      },
      async inForce(ctx, node, { ip, how }) {
        if (how === 'netem') return shaped(ctx, node, ip);
        const r = await ctx.provider.exec(
          node,
          [
            'sh',
            '-c',
            `iptables -S ${DELAY_CHAIN} >/dev/null 2>&1 && echo chain; [ -f ${DELAY_PID} ] && kill -0 "$(cat ${DELAY_PID})" 2>/dev/null && echo delayer; true`,
          ],
          { timeoutMs: 15_000 },
        );
        const seen = r.stdout.split('\n').filter(Boolean);
        return seen.length > 0 ? `${node}: ${seen.join(' and ')} present` : null;
      },
    },
  }),
];
