/**
 * Configuration changes as a DBA makes them on a Patroni cluster: a PostgreSQL parameter set in the
 * dynamic configuration (patronictl edit-config), which Patroni writes to every member; a parameter
 * such as max_connections or shared_buffers then waits for a restart, shown as pending on each
 * member, and is applied by restarting the members one at a time: replicas first when such a
 * parameter is raised, the leader first when it is lowered, because a hot standby may not run with a
 * lower max_connections (and the like) than its primary: Patroni keeps a replica at its primary's
 * value from pg_controldata, so a replica restarted first into a lowered value stays pending.
 */
import { Type } from '@sinclair/typebox';
import { waitUntil } from '../../clock.js';
import { isRunningReplicaState } from '../../cluster/patroni.js';
import { LabError } from '../../errors.js';
import { pgPaths } from '../../render/node-layout.js';
import { fault, run, type FaultContext, type FaultDefinition, type HealContext } from './kit.js';

/** How long one member may take to run again after Patroni restarted it. */
const MEMBER_BACK_MS = 90_000;
const POLL_MS = 500;

/** A core parameter's name as pg_settings spells it; an extension's (`auto_explain.x`) would read as a path to `--set`. */
const PARAMETER_NAME = '^[a-z_][a-z0-9_]*$';

const configArgv = (configPath: string, ...rest: string[]): string[] => ['patronictl', '-c', configPath, ...rest];

/** `edit-config --set` takes YAML: null removes the key, so a parameter that was unset is unset again. */
const setArgv = (configPath: string, name: string, value: string | null): string[] =>
  configArgv(configPath, 'edit-config', '--force', '--set', `postgresql.parameters.${name}=${value ?? 'null'}`);

/**
 * A parameter's value in `patronictl show-config`'s YAML (postgresql.parameters.NAME), as the text
 * after the colon with YAML's quotes taken off; null when the key is absent. Pure.
 */
export function parameterIn(showConfig: string, name: string): string | null {
  const section = /^postgresql:\n((?:[ ]+.*\n?)*)/m.exec(showConfig)?.[1] ?? '';
  const parameters = /^(\s+)parameters:\n((?:\1\s+.*\n?)*)/m.exec(section)?.[2] ?? '';
  const value = new RegExp(`^\\s+${name}:\\s*(.*?)\\s*$`, 'm').exec(parameters)?.[1];
  if (value === undefined) return null;
  return /^(['"])(.*)\1$/.exec(value)?.[2] ?? value;
}

async function showConfig(ctx: HealContext, node: string, configPath: string): Promise<string> {
  return run(ctx, node, configArgv(configPath, 'show-config'));
}

/**
 * The settings a standby may not run below its primary's, as pg_controldata prints them: the values
 * the primary last ran with, which a replica learns by replaying its WAL. Pure.
 */
export function hotStandbySettings(controldata: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of controldata.matchAll(/^(max_\w+) setting:\s*(\S+)\s*$/gm)) out[m[1]!] = m[2]!;
  return out;
}

async function controlSettings(ctx: FaultContext, node: string): Promise<Record<string, string>> {
  const { binDir, dataDir } = pgPaths(ctx.spec.postgres.version);
  return hotStandbySettings(await run(ctx, node, [`${binDir}/pg_controldata`, dataDir]));
}

/**
 * Waits until a replica has replayed its leader's settings. Patroni starts a replica with the higher
 * of its configured value and pg_controldata's (a standby below its primary's would not start) and
 * then shows a restart pending: a replica restarted before it replayed the leader's lowered value
 * would stay pending until restarted again.
 */
async function replayedLeaderSettings(ctx: FaultContext, replica: string, leader: string): Promise<void> {
  const wanted = await controlSettings(ctx, leader);
  await waitUntil(
    async () => {
      const has = await controlSettings(ctx, replica);
      const behind = Object.keys(wanted).filter((k) => has[k] !== wanted[k]);
      return behind.length === 0
        ? { ok: true, value: undefined }
        : { ok: false, reason: behind.map((k) => `${k} ${has[k] ?? '?'}, the leader's ${wanted[k]}`).join(', ') };
    },
    { what: `${replica} to replay ${leader}'s settings`, timeoutMs: MEMBER_BACK_MS, intervalMs: POLL_MS, clock: ctx.clock },
  );
}

/** Restarts one member through Patroni and waits until it runs again with nothing pending; resolves with how long it took. */
async function restartMember(ctx: FaultContext, member: string): Promise<number> {
  const started = ctx.clock.now();
  const patroni = await ctx.access.patroni(member);
  await patroni.restart();
  await waitUntil(
    async () => {
      const s = await patroni.status();
      const runs = s.state === 'running' || isRunningReplicaState(s.state);
      if (runs && !s.pendingRestart) return { ok: true, value: undefined };
      return { ok: false, reason: `${member} is ${s.role}/${s.state}${s.pendingRestart ? ', restart still pending' : ''}` };
    },
    { what: `${member} running again after its restart`, timeoutMs: MEMBER_BACK_MS, intervalMs: POLL_MS, clock: ctx.clock },
  );
  return ctx.clock.now() - started;
}

export const CONFIGURATION_FAULTS: FaultDefinition[] = [
  fault({
    name: 'set-parameter',
    describe:
      "set a PostgreSQL parameter (`name`, `value`) in the cluster's dynamic configuration, asked on the target (patronictl edit-config); Patroni applies it on every member, or shows it pending a restart; heal: put back the value it had",
    params: Type.Object(
      {
        name: Type.String({ pattern: PARAMETER_NAME, description: 'the parameter, as pg_settings names it' }),
        value: Type.Union([Type.String(), Type.Number()], { description: 'its new value' }),
      },
      { additionalProperties: false },
    ),
    async inject(ctx, { node }, record) {
      const { configPath, name, value, was } = record!;
      await run(ctx, node, setArgv(configPath, name, value));
      return `postgresql.parameters.${name} = ${value} (was ${was ?? 'unset'})`;
    },
    undo: {
      schema: Type.Object(
        {
          configPath: Type.String({ pattern: '^/[\\w./-]+$' }),
          name: Type.String({ pattern: PARAMETER_NAME }),
          value: Type.String(),
          was: Type.Union([Type.String(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      async record(ctx, { node, params }) {
        const configPath = ctx.spec.patroni.configPath;
        const name = String(params!['name']);
        return {
          configPath,
          name,
          value: String(params!['value']),
          was: parameterIn(await showConfig(ctx, node, configPath), name),
        };
      },
      async heal(ctx, node, { configPath, name, was }) {
        await run(ctx, node, setArgv(configPath, name, was));
        return `postgresql.parameters.${name} ${was === null ? 'unset' : `= ${was}`} again`;
      },
      async inForce(ctx, node, { configPath, name, was }) {
        const now = parameterIn(await showConfig(ctx, node, configPath), name);
        return now === was ? null : `postgresql.parameters.${name} is ${now ?? 'unset'}, was ${was ?? 'unset'} before the run`;
      },
    },
  }),
  fault({
    name: 'rolling-restart',
    describe:
      "restart PostgreSQL on every member through Patroni's REST API (POST /restart), one at a time, each running again with no restart pending before the next: the replicas first and the target (the leader) last and in place, or with `order: leader-first` the other way round (for a lowered max_connections, max_worker_processes, max_wal_senders, max_prepared_transactions or max_locks_per_transaction, which a standby may not have below its primary's)",
    params: Type.Object(
      {
        order: Type.Union([Type.Literal('replicas-first'), Type.Literal('leader-first')], {
          default: 'replicas-first',
          description: 'replicas-first (a raised parameter) or leader-first (a lowered one)',
        }),
      },
      { additionalProperties: false },
    ),
    async inject(ctx, { node, params }) {
      const cluster = await (await ctx.access.patroni(node)).cluster();
      if (cluster.leader !== node)
        throw new LabError(`rolling-restart: ${node} is not the leader (${cluster.leader ?? 'no node'} is)`);
      const replicas = cluster.members
        .map((m) => m.name)
        .filter((m) => m !== node)
        .sort();
      const order = params?.['order'] === 'leader-first' ? [node, ...replicas] : [...replicas, node];
      const took: string[] = [];
      for (const member of order) {
        if (member !== node) await replayedLeaderSettings(ctx, member, node);
        took.push(`${member} ${((await restartMember(ctx, member)) / 1000).toFixed(1)} s`);
      }
      return `restarted ${took.join(', ')}`;
    },
  }),
];
