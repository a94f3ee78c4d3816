/**
 * The faults a scenario can inject, each with the heal that undoes it. They use only Provider
 * primitives (crash/start) and commands run inside a node (systemctl, pkill, iptables), so the same
 * fault works on a VM and in a container; switchover and failover go through Patroni's REST API.
 */
import { LabError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { LabSpec } from '../spec/schema.js';
import type { LabAccess } from '../cluster/access.js';
import { SERVICE_PORTS } from '../render/ports.js';
import { UNITS } from '../render/node-layout.js';

export const SERVICES = ['patroni', 'postgres', 'etcd'] as const;
export type Service = (typeof SERVICES)[number];

export interface FaultContext {
  provider: Provider;
  spec: LabSpec;
  access: LabAccess;
}

/** What the scenario step asked for, with its targets already resolved to node names. */
export interface FaultRequest {
  node: string;
  service?: Service;
  /** switchover / failover: the candidate. */
  to?: string;
}

export interface Injected {
  detail: string;
  /** Undo the fault; resolves with what was done. Absent when there is nothing to undo. */
  heal?: () => Promise<string>;
}

export interface FaultDefinition {
  name: string;
  describe: string;
  /** Services the fault accepts in `service:`; absent when it takes none. */
  services?: readonly Service[];
  /** Whether `to:` (a candidate node) is required, optional or not accepted. */
  to?: 'required' | 'optional';
  inject(ctx: FaultContext, request: FaultRequest): Promise<Injected>;
}

async function run(ctx: FaultContext, node: string, argv: string[]): Promise<string> {
  const r = await ctx.provider.exec(node, argv, { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new LabError(`${node}: \`${argv.join(' ')}\` failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/** Patroni runs PostgreSQL as its child (no unit of its own); systemd names the other two. */
const UNIT: Record<Exclude<Service, 'postgres'>, string> = UNITS;

/**
 * Sends a signal to a service's main process only: `systemctl kill` would by default signal the
 * whole cgroup, and PostgreSQL lives in Patroni's. For postgres, the postmaster is the oldest
 * `postgres` process on the node.
 */
function signalArgv(service: Service, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): string[] {
  if (service === 'postgres') return ['pkill', `-${signal.replace('SIG', '')}`, '-o', '-x', 'postgres'];
  return ['systemctl', 'kill', '--kill-who=main', '-s', signal, UNIT[service]];
}

const PARTITION_CHAIN = 'LAB-PARTITION';

/** Idempotent: removes exactly the chain this fault adds, whether or not it is there. */
const REMOVE_PARTITION = [
  `iptables -D INPUT -j ${PARTITION_CHAIN} 2>/dev/null || true`,
  `iptables -D OUTPUT -j ${PARTITION_CHAIN} 2>/dev/null || true`,
  `iptables -F ${PARTITION_CHAIN} 2>/dev/null || true`,
  `iptables -X ${PARTITION_CHAIN} 2>/dev/null || true`,
].join('; ');

function partitionScript(peers: string[]): string {
  return [
    REMOVE_PARTITION,
    `iptables -N ${PARTITION_CHAIN}`,
    ...peers.flatMap((ip) => [`iptables -A ${PARTITION_CHAIN} -s ${ip} -j DROP`, `iptables -A ${PARTITION_CHAIN} -d ${ip} -j DROP`]),
    `iptables -I INPUT -j ${PARTITION_CHAIN}`,
    `iptables -I OUTPUT -j ${PARTITION_CHAIN}`,
  ].join(' && ');
}

/**
 * Removes the chain, then aborts the node's etcd peer connections (`ss -K`, which also sends the
 * peer a reset). An etcd member that kept writing into the cut (stream heartbeats) holds a TCP
 * connection in retransmit backoff; after the heal its messages arrive only at the next retry, which
 * was seen to be 37 s later: the next partition then found two members unable to elect a leader.
 * Both ends reconnect at once instead. Prints how many connections it reset.
 */
export function healPartitionScript(peers: string[]): string {
  const filter = `( ${peers.map((ip) => `dst ${ip}`).join(' or ')} ) and ( sport = :${SERVICE_PORTS.etcdPeer} or dport = :${SERVICE_PORTS.etcdPeer} )`;
  return `${REMOVE_PARTITION}; ss -HKtn '${filter}' | wc -l`;
}

function service(request: FaultRequest): Service {
  if (!request.service) throw new LabError('this fault needs service:');
  return request.service;
}

export const FAULTS: Readonly<Record<string, FaultDefinition>> = Object.fromEntries(
  (
    [
      {
        name: 'crash-node',
        describe: 'power the node off at once (docker kill / VM power-off); heal: start it',
        async inject(ctx, { node }) {
          await ctx.provider.crash(node);
          return {
            detail: 'killed',
            heal: async () => {
              if ((await ctx.provider.running()).includes(node)) return 'already running';
              await ctx.provider.start(node);
              ctx.access.markStale(node);
              return 'started';
            },
          };
        },
      },
      {
        name: 'stop-service',
        describe: 'stop patroni or etcd cleanly (systemctl stop); heal: start it',
        services: ['patroni', 'etcd'],
        async inject(ctx, request) {
          const unit = UNIT[service(request) as Exclude<Service, 'postgres'>];
          await run(ctx, request.node, ['systemctl', 'stop', unit]);
          return { detail: `systemctl stop ${unit}`, heal: async () => (await run(ctx, request.node, ['systemctl', 'start', unit]), `systemctl start ${unit}`) };
        },
      },
      {
        name: 'kill-service',
        describe: 'SIGKILL a service (postgres: the postmaster); heal: start patroni/etcd if systemd did not; Patroni restarts postgres itself',
        services: SERVICES,
        async inject(ctx, request) {
          const s = service(request);
          await run(ctx, request.node, signalArgv(s, 'SIGKILL'));
          if (s === 'postgres') return { detail: 'SIGKILL to the postmaster' };
          return { detail: `SIGKILL to ${s}`, heal: async () => (await run(ctx, request.node, ['systemctl', 'start', UNIT[s]]), `systemctl start ${UNIT[s]}`) };
        },
      },
      {
        name: 'freeze',
        describe: 'SIGSTOP a service (default patroni); heal: SIGCONT, unless the node was reset meanwhile',
        services: SERVICES,
        async inject(ctx, request) {
          const s = request.service ?? 'patroni';
          const boot = await ctx.provider.bootMarker(request.node);
          await run(ctx, request.node, signalArgv(s, 'SIGSTOP'));
          return {
            detail: `SIGSTOP to ${s}`,
            heal: async () => {
              // A watchdog reset restarted everything: there is nothing frozen left to thaw.
              if ((await ctx.provider.bootMarker(request.node)).marker !== boot.marker) return 'node was reset: nothing to thaw';
              await run(ctx, request.node, signalArgv(s, 'SIGCONT'));
              return `SIGCONT to ${s}`;
            },
          };
        },
      },
      {
        name: 'partition',
        describe: `cut the node off from the other nodes (iptables DROP in chain ${PARTITION_CHAIN} inside it); heal: remove the chain and reset the node's etcd peer connections left in TCP retransmit backoff`,
        async inject(ctx, { node }) {
          const peers = ctx.spec.nodes.filter((n) => n.name !== node).map((n) => n.ip);
          await run(ctx, node, ['sh', '-c', partitionScript(peers)]);
          return {
            detail: `DROP to/from ${peers.join(', ')}`,
            heal: async () => `removed ${PARTITION_CHAIN}, reset ${await run(ctx, node, ['sh', '-c', healPartitionScript(peers)])} etcd peer connection(s)`,
          };
        },
      },
      {
        name: 'switchover',
        describe: 'planned switchover from the target (the leader) to `to:` (or a candidate Patroni picks), via POST /switchover',
        to: 'optional',
        async inject(ctx, { node, to }) {
          return { detail: await (await ctx.access.patroni(node)).switchover(node, to) };
        },
      },
      {
        name: 'failover',
        describe: 'manual failover to `to:` via POST /failover, asked of the target node',
        to: 'required',
        async inject(ctx, { node, to }) {
          return { detail: await (await ctx.access.patroni(node)).failover(to!) };
        },
      },
    ] satisfies FaultDefinition[]
  ).map((f) => [f.name, f]),
);

