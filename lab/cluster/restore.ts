/**
 * `lab restore`: the whole cluster back to a point in time, the way Patroni needs it (docs/backup.md
 * explains each phase for a DBA doing it by hand). Patroni stopped everywhere; the cluster removed
 * from etcd, or Patroni would make the restored node follow the old timeline's history; one node
 * restored from the repository, replayed to the target and promoted by PostgreSQL alone (a new
 * timeline); Patroni started on it, which finds no cluster in etcd and registers this one, as its
 * leader; the other nodes emptied and started, so Patroni makes them replicas again (from the
 * repository first). Each phase is a progress task.
 */
import { waitUntil } from '../clock.js';
import { ExitCode, LabError } from '../errors.js';
import type { ProgressListener, Provider } from '../providers/provider.js';
import { task } from '../providers/tasks.js';
import { pgPaths, UNITS } from '../render/node-layout.js';
import { SERVICE_PORTS } from '../render/ports.js';
import type { BackupSpec, LabSpec } from '../spec/schema.js';
import { pgbackrest, restoreOptions, stanzaInfo, targetProblem, type RestoreTarget } from './pgbackrest.js';

export interface RestoreOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** For the target's check against now. */
  now?: () => number;
}

export interface RestoreResult {
  /** The node restored, and leader afterwards. */
  leader: string;
  /** The timeline PostgreSQL promoted onto at the target (Patroni's own promotion then starts the next one). */
  promotedTimeline: number;
}

/** The recovery settings pgBackRest's restore writes into postgresql.auto.conf; reset once promoted, so a later replica of this data never stops at the old target. */
const RECOVERY_SETTINGS = [
  'restore_command',
  'recovery_target',
  'recovery_target_time',
  'recovery_target_lsn',
  'recovery_target_xid',
  'recovery_target_name',
  'recovery_target_action',
  'recovery_target_timeline',
  'recovery_target_inclusive',
];

/** PostgreSQL exited during the replay (a target the WAL never reaches, a missing segment): no use waiting. */
class RecoveryStopped extends LabError {}

const STOP_TIMEOUT_MS = 120_000;
const RESTORE_TIMEOUT_MS = 1_800_000;
const REPLAY_TIMEOUT_MS = 600_000;

type Lab = Pick<LabSpec, 'name' | 'nodes' | 'patroni' | 'postgres'>;

async function run(
  provider: Pick<Provider, 'exec'>,
  node: string,
  argv: string[],
  what: string,
  options: { timeoutMs?: number; input?: string; signal?: AbortSignal } = {},
): Promise<string> {
  const result = await provider.exec(node, argv, {
    timeoutMs: options.timeoutMs ?? 60_000,
    signal: options.signal,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (result.exitCode !== 0)
    throw new LabError(
      `${node}: ${what} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-600)}`,
      ExitCode.infrastructure,
      'run `lab restore` again once the cause is fixed: every phase starts from what the last one left',
    );
  return result.stdout;
}

const asPostgres = (argv: string[]): string[] => ['runuser', '-u', 'postgres', '--', ...argv];
/** psql with each statement its own -c: each runs in its own transaction (ALTER SYSTEM refuses a transaction block). */
const psql = (...sql: string[]): string[] =>
  asPostgres(['psql', '-X', '-qAt', '-p', String(SERVICE_PORTS.postgres), ...sql.flatMap((s) => ['-c', s])]);

/**
 * Checks the target against the repository and says why it cannot be restored to (exit 3), before
 * anything changes; then restores. The node restored is the first node.
 */
export async function restoreCluster(
  provider: Pick<Provider, 'exec'>,
  spec: Lab,
  backup: BackupSpec,
  target: RestoreTarget,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const { onProgress, signal } = options;
  const info = await stanzaInfo(provider, backup, signal);
  const problem = targetProblem(target, info, (options.now ?? Date.now)());
  if (problem)
    throw new LabError(
      `lab restore: ${problem}`,
      ExitCode.badInput,
      'nothing was changed; `lab backup list` shows what the repository can restore',
    );

  const leader = spec.nodes[0]!.name;
  const others = spec.nodes.slice(1).map((n) => n.name);
  const { dataDir, binDir } = pgPaths(spec.postgres.version);
  const restoreLog = `${dataDir}/../lab-restore.log`;
  const pgCtl = (args: string[]) => asPostgres([`${binDir}/pg_ctl`, '-D', dataDir, ...args]);

  // The WAL up to now must be in the repository for a target close to now: `check` switches WAL and waits until it is archived.
  await task(onProgress, backup.name, 'archive the current WAL', async () => {
    try {
      await pgbackrest(provider, backup.name, backup.stanza, ['--archive-timeout=60', 'check'], { timeoutMs: 90_000, signal });
    } catch (e) {
      // A broken cluster is what a restore is for: the archive holds what it holds.
      onProgress?.({
        node: backup.name,
        task: 'archive the current WAL',
        status: 'skip',
        output: e instanceof Error ? e.message : String(e),
      });
    }
  });
  await task(onProgress, null, 'stop Patroni on every node', () =>
    Promise.all(
      spec.nodes.map(async (n) => {
        await run(provider, n.name, ['systemctl', 'stop', UNITS.patroni], 'systemctl stop patroni', {
          timeoutMs: STOP_TIMEOUT_MS,
          signal,
        });
        // PostgreSQL alone, as an interrupted restore leaves it on the restored node (pg_ctl status: 0 running, 3 not).
        if ((await provider.exec(n.name, pgCtl(['status']), { timeoutMs: 10_000, signal })).exitCode === 0)
          await run(provider, n.name, pgCtl(['-w', '-t', '120', '-m', 'fast', 'stop']), 'pg_ctl stop', {
            timeoutMs: 150_000,
            signal,
          });
      }),
    ),
  );
  await task(onProgress, leader, 'remove the cluster from etcd', () =>
    run(provider, leader, ['patronictl', 'remove', spec.name], 'patronictl remove', {
      input: `${spec.name}\nYes I am aware\n`,
      signal,
    }),
  );
  await task(onProgress, leader, 'pgbackrest restore', () =>
    pgbackrest(provider, leader, backup.stanza, ['--delta', ...restoreOptions(target), 'restore'], {
      timeoutMs: RESTORE_TIMEOUT_MS,
      signal,
    }),
  );
  const timeline = await task(onProgress, leader, 'replay WAL to the target and promote', async () => {
    await run(provider, leader, pgCtl(['-l', restoreLog, '-w', '-t', '300', 'start']), 'pg_ctl start', {
      timeoutMs: 330_000,
      signal,
    });
    await waitUntil(
      async () => {
        const answer = await provider.exec(leader, psql('SELECT pg_is_in_recovery()'), { timeoutMs: 10_000, signal });
        if (answer.exitCode === 0 && answer.stdout.trim() === 'f') return { ok: true, value: undefined };
        if ((await provider.exec(leader, pgCtl(['status']), { timeoutMs: 10_000, signal })).exitCode !== 0) {
          const log = await provider.exec(leader, ['tail', '-n', '5', restoreLog], { timeoutMs: 10_000, signal });
          throw new RecoveryStopped(`${leader}: PostgreSQL stopped while replaying WAL: ${log.stdout.trim()}`);
        }
        return { ok: false, reason: 'still replaying WAL' };
      },
      {
        what: `${leader} to reach the target and promote`,
        timeoutMs: REPLAY_TIMEOUT_MS,
        intervalMs: 1000,
        signal,
        fatal: (e) => e instanceof RecoveryStopped,
      },
    );
    const tli = Number(
      (
        await run(
          provider,
          leader,
          psql("SELECT ('x' || left(pg_walfile_name(pg_current_wal_lsn()), 8))::bit(32)::int"),
          'psql',
          { signal },
        )
      ).trim(),
    );
    await run(provider, leader, psql(...RECOVERY_SETTINGS.map((s) => `ALTER SYSTEM RESET ${s}`)), 'ALTER SYSTEM RESET', {
      signal,
    });
    await run(provider, leader, pgCtl(['-w', '-t', '120', '-m', 'fast', 'stop']), 'pg_ctl stop', { timeoutMs: 150_000, signal });
    return tli;
  });
  await task(onProgress, leader, 'start Patroni as leader', async () => {
    await run(provider, leader, ['systemctl', 'start', UNITS.patroni], 'systemctl start patroni', { signal });
    await waitUntil(
      async () => {
        const r = await provider.exec(
          leader,
          ['curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${SERVICE_PORTS.patroni}/primary`],
          { timeoutMs: 10_000, signal },
        );
        return r.exitCode === 0
          ? { ok: true, value: undefined }
          : { ok: false, reason: 'Patroni does not answer 200 on /primary yet' };
      },
      { what: `${leader} to lead the restored cluster`, timeoutMs: 180_000, intervalMs: 1000, signal },
    );
  });
  await task(onProgress, null, `re-create ${others.join(', ')} as replicas`, () =>
    Promise.all(
      others.map(async (node) => {
        // An empty data directory: Patroni makes a replica of it (create_replica_methods), not a rewind of the old timeline.
        await run(provider, node, ['find', dataDir, '-mindepth', '1', '-delete'], `emptying ${dataDir}`, {
          timeoutMs: 300_000,
          signal,
        });
        await run(provider, node, ['systemctl', 'start', UNITS.patroni], 'systemctl start patroni', { signal });
      }),
    ),
  );
  return { leader, promotedTimeline: Number.isFinite(timeline) ? timeline : 0 };
}
