/**
 * The faults a scenario can inject, each with the heal that undoes it. They use only Provider
 * primitives (crash/start) and commands run inside a node (systemctl, pkill, iptables), so the same
 * fault works on a VM and in a container; switchover and failover go through Patroni's REST API.
 * A heal works from a record of plain data that the engine journals before the fault is applied, so
 * another process (`lab heal`) can undo a fault whose injector was killed.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LabError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { LabSpec } from '../spec/schema.js';
import type { LabAccess } from '../cluster/access.js';
import { SERVICE_PORTS } from '../render/ports.js';
import { SERVICE_UNIT } from '../render/node-layout.js';

export const SERVICES = ['patroni', 'postgres', 'etcd'] as const;
export type Service = (typeof SERVICES)[number];

export interface HealContext {
  provider: Provider;
  /** A run's connections, told when a node comes back (maybe on other ports); absent outside a run. */
  access?: Pick<LabAccess, 'markStale'>;
}

export interface FaultContext extends HealContext {
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

/**
 * How a fault is undone from its journal entry alone (labdir/fault-journal.ts): the process that
 * injected it may be gone, so everything the heal needs is in the record, as data.
 */
export interface Undo<S extends TSchema = TSchema> {
  /** The record's shape, checked before a journaled record is trusted. */
  schema: S;
  /**
   * What heal() will need, decided before anything is done so that it is journaled before the fault
   * is applied (a run killed mid-inject leaves it half-applied); undefined when this request leaves
   * nothing to undo.
   */
  record(ctx: FaultContext, request: FaultRequest): Promise<Static<S> | undefined>;
  /** Idempotent: a fault already healed, or never applied, heals too. Resolves with what was done. */
  heal(ctx: HealContext, node: string, record: Static<S>): Promise<string>;
  /** What of the fault the node shows now; null when nothing. Throws when it cannot tell. */
  inForce(ctx: HealContext, node: string, record: Static<S>): Promise<string | null>;
}

/** A role `lab chaos` targets, resolved to a node only when the fault is injected (targets.ts: resolveRole). */
export const CHAOS_ROLES = ['leader', 'replica', 'any'] as const;
export type ChaosRole = (typeof CHAOS_ROLES)[number];

/** What the chaos schedule (chaos/schedule.ts) may draw for a fault. */
export interface ChaosTraits {
  /** The roles it may be aimed at. */
  roles: readonly ChaosRole[];
  /** The services it may act on, one drawn per injection; absent when it takes none. */
  services?: readonly Service[];
  /** How long it is held before its heal, in ms: [shortest, longest]. */
  holdMs: readonly [number, number];
  /** Whether it may be in force together with other faults (when the run allows overlaps at all). */
  overlap: boolean;
}

export interface FaultDefinition<S extends TSchema = TSchema> {
  name: string;
  describe: string;
  /** Services the fault accepts in `service:`; absent when it takes none. */
  services?: readonly Service[];
  /** Whether `to:` (a candidate node) is required, optional or not accepted. */
  to?: 'required' | 'optional';
  /** Applies the fault; `record` is what undo.record() decided. Resolves with what was done. */
  inject(ctx: FaultContext, request: FaultRequest, record: Static<S> | undefined): Promise<string>;
  /** Absent for faults that leave nothing to undo (switchover, failover). */
  undo?: Undo<S>;
  /** Absent: `lab chaos` never schedules it. */
  chaos?: ChaosTraits;
}

/** Keeps each definition's record type its own while FAULTS holds them all. */
const fault = <S extends TSchema>(definition: FaultDefinition<S>): FaultDefinition => definition as unknown as FaultDefinition;

async function run(ctx: HealContext, node: string, argv: string[]): Promise<string> {
  const r = await ctx.provider.exec(node, argv, { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new LabError(`${node}: \`${argv.join(' ')}\` failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/** Patroni runs PostgreSQL as its child (no unit of its own); systemd names the other two. */
/** The services with a unit of their own, which stop-service and kill-service act on. */
const UNIT_SERVICES = ['patroni', 'etcd'] as const;
type Unit = (typeof UNIT_SERVICES)[number];

function unitOf(request: FaultRequest): Unit {
  const s = service(request);
  if (s === 'postgres') throw new LabError('postgres has no unit of its own: Patroni runs it');
  return s;
}

/**
 * Sends a signal to a service's main process only: `systemctl kill` would by default signal the
 * whole cgroup, and PostgreSQL lives in Patroni's. For postgres, the postmaster is the oldest
 * `postgres` process on the node.
 */
function signalArgv(service: Service, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): string[] {
  if (service === 'postgres') return ['pkill', `-${signal.replace('SIG', '')}`, '-o', '-x', 'postgres'];
  return ['systemctl', 'kill', '--kill-who=main', '-s', signal, SERVICE_UNIT[service]];
}

/** The state letters `ps` shows for a service's main process (T: stopped by a signal); empty when there is none. */
function processStateScript(service: Service): string {
  const pid = service === 'postgres' ? 'pgrep -o -x postgres' : `systemctl show -p MainPID --value ${SERVICE_UNIT[service]}`;
  return `pid=$(${pid}); if [ -n "$pid" ] && [ "$pid" != 0 ]; then ps -o stat= -p "$pid"; fi; true`;
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

/** A unit to start again: the heal of stop-service and kill-service. `systemctl start` of a running unit does nothing. */
const UNIT_UNDO = {
  schema: Type.Object({ unit: Type.Union(UNIT_SERVICES.map((u) => Type.Literal(u))) }, { additionalProperties: false }),
  async heal(ctx: HealContext, node: string, { unit }: { unit: Unit }): Promise<string> {
    await run(ctx, node, ['systemctl', 'start', SERVICE_UNIT[unit]]);
    return `systemctl start ${SERVICE_UNIT[unit]}`;
  },
  async inForce(ctx: HealContext, node: string, { unit }: { unit: Unit }): Promise<string | null> {
    const state = (await ctx.provider.exec(node, ['systemctl', 'is-active', SERVICE_UNIT[unit]], { timeoutMs: 15_000 })).stdout.trim();
    return state === 'active' ? null : `${unit} is ${state || 'unknown'}`;
  },
};

export const FAULTS: Readonly<Record<string, FaultDefinition>> = Object.fromEntries(
  [
    fault({
      name: 'crash-node',
      describe: 'power the node off at once (docker kill / VM power-off); heal: start it',
      async inject(ctx, { node }) {
        await ctx.provider.crash(node);
        return 'killed';
      },
      undo: {
        schema: Type.Object({}, { additionalProperties: false }),
        record: async () => ({}),
        async heal(ctx, node) {
          if ((await ctx.provider.running()).includes(node)) return 'already running';
          await ctx.provider.start(node);
          ctx.access?.markStale(node);
          return 'started';
        },
        inForce: async (ctx, node) => ((await ctx.provider.running()).includes(node) ? null : `${node} is not running`),
      },
      // Two nodes down at once is a lost quorum, not a fault to mix with others.
      chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 40_000], overlap: false },
    }),
    fault({
      name: 'stop-service',
      describe: 'stop patroni or etcd cleanly (systemctl stop); heal: start it',
      services: UNIT_SERVICES,
      async inject(ctx, { node }, record) {
        await run(ctx, node, ['systemctl', 'stop', record!.unit]);
        return `systemctl stop ${record!.unit}`;
      },
      undo: { ...UNIT_UNDO, record: async (_ctx, request) => ({ unit: unitOf(request) }) },
      chaos: { roles: ['leader', 'replica'], services: UNIT_SERVICES, holdMs: [10_000, 40_000], overlap: true },
    }),
    fault({
      name: 'kill-service',
      describe: 'SIGKILL a service (postgres: the postmaster); heal: start patroni/etcd if systemd did not; Patroni restarts postgres itself',
      services: SERVICES,
      async inject(ctx, request) {
        const s = service(request);
        await run(ctx, request.node, signalArgv(s, 'SIGKILL'));
        return s === 'postgres' ? 'SIGKILL to the postmaster' : `SIGKILL to ${s}`;
      },
      undo: { ...UNIT_UNDO, record: async (_ctx, request) => (service(request) === 'postgres' ? undefined : { unit: unitOf(request) }) },
      // systemd (or Patroni, for postgres) restarts it at once: the hold is only how long before its heal checks.
      chaos: { roles: ['leader', 'replica'], services: SERVICES, holdMs: [5_000, 15_000], overlap: true },
    }),
    fault({
      name: 'freeze',
      describe: 'SIGSTOP a service (default patroni); heal: SIGCONT, unless the node was reset meanwhile',
      services: SERVICES,
      async inject(ctx, { node }, record) {
        await run(ctx, node, signalArgv(record!.service, 'SIGSTOP'));
        return `SIGSTOP to ${record!.service}`;
      },
      undo: {
        schema: Type.Object({ service: Type.Union(SERVICES.map((s) => Type.Literal(s))), boot: Type.String() }, { additionalProperties: false }),
        record: async (ctx, request) => ({ service: request.service ?? 'patroni', boot: (await ctx.provider.bootMarker(request.node)).marker }),
        async heal(ctx, node, { service, boot }) {
          // A watchdog reset restarted everything: there is nothing frozen left to thaw.
          if ((await ctx.provider.bootMarker(node)).marker !== boot) return 'node was reset: nothing to thaw';
          await run(ctx, node, signalArgv(service, 'SIGCONT'));
          return `SIGCONT to ${service}`;
        },
        async inForce(ctx, node, { service, boot }) {
          if ((await ctx.provider.bootMarker(node)).marker !== boot) return null;
          const state = await run(ctx, node, ['sh', '-c', processStateScript(service)]);
          return state.startsWith('T') ? `${service} is stopped (SIGSTOP)` : null;
        },
      },
      chaos: { roles: ['leader', 'replica'], services: ['patroni', 'postgres'], holdMs: [5_000, 30_000], overlap: true },
    }),
    fault({
      name: 'partition',
      describe: `cut the node off from the other nodes (iptables DROP in chain ${PARTITION_CHAIN} inside it); heal: remove the chain and reset the node's etcd peer connections left in TCP retransmit backoff`,
      async inject(ctx, { node }, record) {
        await run(ctx, node, ['sh', '-c', partitionScript(record!.peers)]);
        return `DROP to/from ${record!.peers.join(', ')}`;
      },
      undo: {
        // Addresses only: they go into a shell command.
        schema: Type.Object({ peers: Type.Array(Type.String({ pattern: '^[0-9A-Fa-f:.]+$' }), { minItems: 1 }) }, { additionalProperties: false }),
        record: async (ctx, { node }) => ({ peers: ctx.spec.nodes.filter((n) => n.name !== node).map((n) => n.ip) }),
        heal: async (ctx, node, { peers }) => `removed ${PARTITION_CHAIN}, reset ${await run(ctx, node, ['sh', '-c', healPartitionScript(peers)])} etcd peer connection(s)`,
        async inForce(ctx, node) {
          const r = await ctx.provider.exec(node, ['iptables', '-S', PARTITION_CHAIN], { timeoutMs: 15_000 });
          return r.exitCode === 0 ? `${PARTITION_CHAIN} chain present (${r.stdout.trim().split('\n').length - 1} rule(s))` : null;
        },
      },
      chaos: { roles: ['leader', 'replica'], holdMs: [10_000, 40_000], overlap: true },
    }),
    fault({
      name: 'switchover',
      describe: 'planned switchover from the target (the leader) to `to:` (or a candidate Patroni picks), via POST /switchover',
      to: 'optional',
      inject: async (ctx, { node, to }) => (await ctx.access.patroni(node)).switchover(node, to),
    }),
    fault({
      name: 'failover',
      describe: 'manual failover to `to:` via POST /failover, asked of the target node',
      to: 'required',
      inject: async (ctx, { node, to }) => (await ctx.access.patroni(node)).failover(to!),
    }),
  ].map((f) => [f.name, f]),
);
