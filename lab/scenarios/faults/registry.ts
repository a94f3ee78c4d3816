/**
 * The faults a scenario can inject, each with the heal that undoes it. They use only Provider
 * primitives (crash/start) and commands run inside a node (systemctl, pkill, iptables), so the same
 * fault works on a VM and in a container; switchover and failover go through Patroni's REST API.
 * A heal works from a record of plain data that the engine journals before the fault is applied, so
 * another process (`lab heal`) can undo a fault whose injector was killed.
 */
import { Type } from '@sinclair/typebox';
import { LabError } from '../../errors.js';
import type { Provider } from '../../providers/provider.js';
import { SERVICE_UNIT } from '../../render/node-layout.js';
import { fault, run, SERVICES, type FaultDefinition, type FaultRequest, type HealContext, type Service } from './kit.js';
import { NET_FAULTS } from './iptables.js';
import { LINK_FAULTS } from './tc.js';
import { PROCESS_FAULTS } from './process.js';
import { CONFIGURATION_FAULTS } from './configuration.js';

export { healPartitionScript } from './iptables.js';
export {
  CHAOS_ROLES,
  SERVICES,
  type ChaosRole,
  type ChaosTraits,
  type FaultContext,
  type FaultDefinition,
  type FaultRequest,
  type HealContext,
  type Service,
  type Undo,
} from './kit.js';

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
    const state = (
      await ctx.provider.exec(node, ['systemctl', 'is-active', SERVICE_UNIT[unit]], { timeoutMs: 15_000 })
    ).stdout.trim();
    return state === 'active' ? null : `${unit} is ${state || 'unknown'}`;
  },
};

/** A node's machine runs, or the HAProxy node's when `node` is its name (crash-node takes either). */
async function machineRuns(provider: Pick<Provider, 'running' | 'runningEntry'>, node: string): Promise<boolean> {
  return (await provider.running()).includes(node) || (await provider.runningEntry()) === node;
}

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
          if (await machineRuns(ctx.provider, node)) return 'already running';
          await ctx.provider.start(node);
          ctx.access?.markStale(node);
          return 'started';
        },
        inForce: async (ctx, node) => ((await machineRuns(ctx.provider, node)) ? null : `${node} is not running`),
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
      describe:
        'SIGKILL a service (postgres: the postmaster); heal: start patroni/etcd if systemd did not; Patroni restarts postgres itself',
      services: SERVICES,
      async inject(ctx, request) {
        const s = service(request);
        await run(ctx, request.node, signalArgv(s, 'SIGKILL'));
        return s === 'postgres' ? 'SIGKILL to the postmaster' : `SIGKILL to ${s}`;
      },
      undo: {
        ...UNIT_UNDO,
        record: async (_ctx, request) => (service(request) === 'postgres' ? undefined : { unit: unitOf(request) }),
      },
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
        schema: Type.Object(
          { service: Type.Union(SERVICES.map((s) => Type.Literal(s))), boot: Type.String() },
          { additionalProperties: false },
        ),
        record: async (ctx, request) => ({
          service: request.service ?? 'patroni',
          boot: (await ctx.provider.bootMarker(request.node)).marker,
        }),
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
    ...NET_FAULTS,
    ...LINK_FAULTS,
    ...PROCESS_FAULTS,
    ...CONFIGURATION_FAULTS,
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
