/**
 * pgBackRest as the host drives it (lab.yaml's `backup:`): its commands, run as postgres on the
 * backup node or a node, what `pgbackrest info --output=json` says (each backup, its size and time,
 * the archive's range), and restore targets, parsed and judged against that before anything changes.
 * The parsing and judging are pure.
 */
import { ExitCode, LabError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { BackupSpec, LabSpec } from '../spec/schema.js';

export const BACKUP_TYPES = ['full', 'diff', 'incr'] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

/** One backup of the stanza, as `pgbackrest info` lists it. */
export interface BackupEntry {
  label: string;
  type: BackupType;
  /** Epoch milliseconds. */
  startMs: number;
  stopMs: number;
  /** The database's size, and what the backup holds in the repository (compressed, this backup's files only). */
  databaseBytes: number;
  repositoryBytes: number;
  lsnStart: string;
  lsnStop: string;
  walStart: string;
  walStop: string;
}

export interface StanzaInfo {
  stanza: string;
  /** pgBackRest's status: 0 ok; otherwise its message (e.g. "no valid backups"). */
  status: { code: number; message: string };
  backups: BackupEntry[];
  /** The oldest and newest WAL segment the repository holds, across every timeline. */
  archive: { min: string; max: string } | null;
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `pgbackrest --stanza=S info --output=json`'s answer, for that stanza. Pure; a shape it cannot read is an infrastructure error. */
export function parseInfo(json: string, stanza: string): StanzaInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new LabError(`pgbackrest info did not answer JSON: ${json.slice(0, 200)}`);
  }
  const entry = (Array.isArray(parsed) ? parsed : []).map(asRecord).find((s) => s.name === stanza);
  if (!entry)
    throw new LabError(
      `pgbackrest info does not list the stanza ${stanza}`,
      ExitCode.infrastructure,
      'run `lab up` (it creates the stanza)',
    );
  const status = asRecord(entry.status);
  const archives = (Array.isArray(entry.archive) ? entry.archive : []).map(asRecord);
  const mins = archives
    .map((a) => str(a.min))
    .filter(Boolean)
    .sort();
  const maxes = archives
    .map((a) => str(a.max))
    .filter(Boolean)
    .sort();
  const backups = (Array.isArray(entry.backup) ? entry.backup : []).map(asRecord).map((b): BackupEntry => {
    const ts = asRecord(b.timestamp);
    const info = asRecord(b.info);
    const lsn = asRecord(b.lsn);
    const archive = asRecord(b.archive);
    const type = str(b.type);
    return {
      label: str(b.label),
      type: (BACKUP_TYPES as readonly string[]).includes(type) ? (type as BackupType) : 'full',
      startMs: num(ts.start) * 1000,
      stopMs: num(ts.stop) * 1000,
      databaseBytes: num(info.size),
      repositoryBytes: num(asRecord(info.repository).delta),
      lsnStart: str(lsn.start),
      lsnStop: str(lsn.stop),
      walStart: str(archive.start),
      walStop: str(archive.stop),
    };
  });
  return {
    stanza,
    status: { code: num(status.code), message: str(status.message) },
    backups: backups.sort((a, b) => a.stopMs - b.stopMs),
    archive: mins.length > 0 && maxes.length > 0 ? { min: mins[0]!, max: maxes[maxes.length - 1]! } : null,
  };
}

/** Where a restore goes: a moment, a WAL position, or the end of the archive. */
export type RestoreTarget = { kind: 'time'; ms: number } | { kind: 'lsn'; lsn: string } | { kind: 'latest' };

const LSN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

/** An LSN (`16/B374D848`) as a number, to compare two. Pure. */
export function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** `lab restore`'s options as one target; exit 3 naming the option when they are not exactly one, or malformed. Pure. */
export function parseRestoreTarget(options: { to?: string; toLsn?: string; latest?: boolean }): RestoreTarget {
  const given = [options.to !== undefined, options.toLsn !== undefined, options.latest === true].filter(Boolean).length;
  if (given !== 1)
    throw new LabError(
      `expected exactly one of --to TIME, --to-lsn LSN or --latest, got ${given === 0 ? 'none' : given}`,
      ExitCode.badInput,
      'for example `lab restore --to "2026-12-08 10:15:00+00"` or `lab restore --latest`',
    );
  if (options.latest) return { kind: 'latest' };
  if (options.toLsn !== undefined) {
    if (!LSN.test(options.toLsn))
      throw new LabError(
        `--to-lsn: expected an LSN such as 0/3000060 (as pg_current_wal_lsn() prints it), got ${options.toLsn}`,
        ExitCode.badInput,
      );
    return { kind: 'lsn', lsn: options.toLsn.toUpperCase() };
  }
  const text = options.to!;
  const ms = Date.parse(text.includes('T') || !/^\d{4}-\d\d-\d\d \d/.test(text) ? text : text.replace(' ', 'T'));
  if (!Number.isFinite(ms) || !/([zZ]|[+-]\d\d(:?\d\d)?)$/.test(text.trim()))
    throw new LabError(
      `--to: expected a time with its zone, such as 2026-12-08T10:15:00Z or "2026-12-08 10:15:00.123+00", got ${text}`,
      ExitCode.badInput,
    );
  return { kind: 'time', ms };
}

/** The time as pgBackRest's --target and PostgreSQL's recovery_target_time read it, in UTC to the millisecond. Pure. */
export function pgTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}+00`;
}

/**
 * Why the repository cannot restore to the target, or null when it can: no backup at all, a time or
 * LSN before the oldest backup ended (recovery must replay at least to a backup's end to be
 * consistent; a time at least a second after it), or a time after now. Pure.
 */
export function targetProblem(target: RestoreTarget, info: StanzaInfo, nowMs: number): string | null {
  const oldest = info.backups[0];
  if (!oldest) return `the repository holds no backup of ${info.stanza} yet: take one with \`lab backup\``;
  if (target.kind === 'time') {
    if (target.ms > nowMs) return `--to ${pgTime(target.ms)} is in the future (now is ${pgTime(nowMs)})`;
    // pgBackRest knows a backup's stop time to the second, and picks a backup that stopped before the target's second.
    if (target.ms < oldest.stopMs + 1000)
      return `--to ${pgTime(target.ms)} is before the oldest backup ended (${oldest.label}, ${pgTime(oldest.stopMs)}, known to the second): nothing can restore to it`;
  }
  if (target.kind === 'lsn' && lsnValue(target.lsn) < lsnValue(oldest.lsnStop))
    return `--to-lsn ${target.lsn} is before the oldest backup ended (${oldest.label}, LSN ${oldest.lsnStop}): nothing can restore to it`;
  return null;
}

/** `pgbackrest restore`'s options for the target: replay to it, then promote (a new timeline). Pure. */
export function restoreOptions(target: RestoreTarget): string[] {
  const promote = ['--target-action=promote'];
  if (target.kind === 'time') return ['--type=time', `--target=${pgTime(target.ms)}`, ...promote];
  if (target.kind === 'lsn') return ['--type=lsn', `--target=${target.lsn}`, ...promote];
  return ['--type=default'];
}

/** A size for people, in binary units. Pure. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** The lab's backup section, or exit 3 with the fix when lab.yaml has none. */
export function requireBackup(spec: Pick<LabSpec, 'backup'>, command: string): BackupSpec {
  if (!spec.backup)
    throw new LabError(
      `${command}: this lab has no backup: section in lab.yaml`,
      ExitCode.badInput,
      'add `backup: {}` to lab.yaml, then `lab up` (it adds the backup node and creates the stanza)',
    );
  return spec.backup;
}

/** pgBackRest run as postgres on a machine of the lab, for the lab's stanza; its failure is an infrastructure error with its output. */
export async function pgbackrest(
  provider: Pick<Provider, 'exec'>,
  machine: string,
  stanza: string,
  args: string[],
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const argv = ['runuser', '-u', 'postgres', '--', 'pgbackrest', `--stanza=${stanza}`, ...args];
  const result = await provider.exec(machine, argv, { timeoutMs: options.timeoutMs ?? 60_000, signal: options.signal });
  if (result.exitCode !== 0)
    throw new LabError(
      `pgbackrest ${args.join(' ')} failed on ${machine} (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-800)}`,
      ExitCode.infrastructure,
      `see /var/log/pgbackrest on ${machine} (\`lab exec ${machine} -- ls /var/log/pgbackrest\`)`,
    );
  return result.stdout;
}

/** What the repository holds now. */
export async function stanzaInfo(
  provider: Pick<Provider, 'exec'>,
  backup: BackupSpec,
  signal?: AbortSignal,
): Promise<StanzaInfo> {
  return parseInfo(await pgbackrest(provider, backup.name, backup.stanza, ['--output=json', 'info'], { signal }), backup.stanza);
}
