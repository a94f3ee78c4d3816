/**
 * Faults that stop processes without killing them, and one that changes Patroni's mind: PostgreSQL
 * hung (every postgres process SIGSTOPped: the hung-postmaster case), the whole node frozen by the
 * provider, and failsafe_mode switched at run time through Patroni's dynamic configuration, so one
 * lab runs a DCS outage both ways.
 */
import { Type } from '@sinclair/typebox';
import { fault, run, type FaultDefinition, type HealContext } from './kit.js';

/** Every process named postgres: the postmaster and all its children (backends, WAL sender, checkpointer). */
const PG_PROCESSES = ['-x', 'postgres'];

async function pgStopped(ctx: HealContext, node: string): Promise<number> {
  const out = await run(ctx, node, ['sh', '-c', 'ps -C postgres -o stat= | grep -c "^T" || true']);
  return Number(out) || 0;
}

/** `show-config` prints the dynamic configuration as YAML; an absent key is Patroni's default, off. Pure. */
export function failsafeIn(showConfig: string): boolean {
  return /^failsafe_mode:\s*true\s*$/m.test(showConfig);
}

const failsafeArgv = (configPath: string, on: boolean): string[] => [
  'patronictl',
  '-c',
  configPath,
  'edit-config',
  '--force',
  '--set',
  `failsafe_mode=${on}`,
];

export const PROCESS_FAULTS: FaultDefinition[] = [
  fault({
    name: 'pause-postgres',
    describe:
      'hang PostgreSQL: SIGSTOP to the postmaster and every child (Patroni keeps running); heal: SIGCONT, unless the node was reset meanwhile',
    async inject(ctx, { node }) {
      await run(ctx, node, ['pkill', '-STOP', ...PG_PROCESSES]);
      return `SIGSTOP to ${await pgStopped(ctx, node)} postgres process(es)`;
    },
    chaos: { roles: ['leader', 'replica'], holdMs: [5_000, 20_000], overlap: true },
    undo: {
      schema: Type.Object({ boot: Type.String() }, { additionalProperties: false }),
      record: async (ctx, { node }) => ({ boot: (await ctx.provider.bootMarker(node)).marker }),
      async heal(ctx, node, { boot }) {
        if ((await ctx.provider.bootMarker(node)).marker !== boot) return 'node was reset: nothing to thaw';
        const stopped = await pgStopped(ctx, node);
        // pkill exits 1 when no process matched: nothing to thaw is healed too.
        await ctx.provider.exec(node, ['pkill', '-CONT', ...PG_PROCESSES], { timeoutMs: 30_000 });
        return `SIGCONT to ${stopped} stopped postgres process(es)`;
      },
      async inForce(ctx, node, { boot }) {
        if ((await ctx.provider.bootMarker(node)).marker !== boot) return null;
        const stopped = await pgStopped(ctx, node);
        return stopped > 0 ? `${stopped} postgres process(es) stopped (SIGSTOP)` : null;
      },
    },
  }),
  fault({
    name: 'pause-node',
    describe: 'freeze the whole node at once (docker pause: the cgroup freezer; a VM suspend); heal: thaw it',
    async inject(ctx, { node }) {
      await ctx.provider.pause(node);
      return 'paused';
    },
    chaos: { roles: ['leader', 'replica'], holdMs: [5_000, 20_000], overlap: false },
    undo: {
      schema: Type.Object({}, { additionalProperties: false }),
      record: async () => ({}),
      async heal(ctx, node) {
        if (!(await ctx.provider.paused(node))) return 'not paused';
        await ctx.provider.resume(node);
        ctx.access?.markStale(node);
        return 'resumed';
      },
      inForce: async (ctx, node) => ((await ctx.provider.paused(node)) ? `${node} is paused` : null),
    },
  }),
  fault({
    name: 'failsafe-mode',
    describe:
      "switch Patroni's failsafe_mode (`enabled`) in the cluster's dynamic configuration, asked on the target (patronictl edit-config); heal: put back the value it had",
    params: Type.Object(
      { enabled: Type.Boolean({ default: true, description: 'failsafe_mode on or off' }) },
      { additionalProperties: false },
    ),
    async inject(ctx, { node }, record) {
      await run(ctx, node, failsafeArgv(record!.configPath, record!.enabled));
      return `failsafe_mode ${record!.enabled ? 'on' : 'off'} (was ${record!.was ? 'on' : 'off'})`;
    },
    undo: {
      schema: Type.Object(
        { configPath: Type.String({ pattern: '^/[\\w./-]+$' }), enabled: Type.Boolean(), was: Type.Boolean() },
        { additionalProperties: false },
      ),
      record: async (ctx, { node, params }) => ({
        configPath: ctx.spec.patroni.configPath,
        enabled: params!['enabled'] === true,
        was: failsafeIn(await run(ctx, node, ['patronictl', '-c', ctx.spec.patroni.configPath, 'show-config'])),
      }),
      async heal(ctx, node, { configPath, was }) {
        await run(ctx, node, failsafeArgv(configPath, was));
        return `failsafe_mode ${was ? 'on' : 'off'} again`;
      },
      async inForce(ctx, node, { configPath, enabled, was }) {
        if (enabled === was) return null;
        const now = failsafeIn(await run(ctx, node, ['patronictl', '-c', configPath, 'show-config']));
        return now === was ? null : `failsafe_mode is ${now ? 'on' : 'off'}, was ${was ? 'on' : 'off'} before the run`;
      },
    },
  }),
];
