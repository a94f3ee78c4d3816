/**
 * `lab backup [full|diff|incr]`: a pgBackRest backup, taken on the backup node from whichever node is
 * primary; `lab backup list`: what the repository holds (`pgbackrest info`).
 */
import type { CommandModule } from 'yargs';
import { formatSeconds } from '../clock.js';
import {
  BACKUP_TYPES,
  formatBytes,
  pgbackrest,
  pgTime,
  requireBackup,
  stanzaInfo,
  type StanzaInfo,
} from '../cluster/pgbackrest.js';
import { ExitCode, LabError } from '../errors.js';
import { generatedContext } from '../labdir/context.js';
import { createProvider } from '../providers/index.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface BackupArgs extends GlobalArgs {
  type?: string;
}

const BACKUP_TIMEOUT_MS = 3_600_000;

/** `lab backup list`'s table. Pure. */
export function formatBackupList(info: StanzaInfo): string {
  const lines = [`stanza ${info.stanza}: ${info.status.code === 0 ? 'ok' : `${info.status.message} (code ${info.status.code})`}`];
  if (info.backups.length === 0) lines.push('no backup yet: `lab backup full` takes one');
  else {
    lines.push('label                               type  stopped (UTC)                 took     database   in repo    WAL');
    for (const b of info.backups)
      lines.push(
        [
          b.label.padEnd(35),
          b.type.padEnd(5),
          pgTime(b.stopMs).padEnd(29),
          formatSeconds(b.stopMs - b.startMs, 0).padEnd(8),
          formatBytes(b.databaseBytes).padEnd(10),
          formatBytes(b.repositoryBytes).padEnd(10),
          `${b.walStart}..${b.walStop}`,
        ].join(' '),
      );
  }
  lines.push(info.archive ? `archive: ${info.archive.min} .. ${info.archive.max}` : 'archive: empty');
  return `${lines.join('\n')}\n`;
}

export const backupCommand: CommandModule<GlobalArgs, BackupArgs> = {
  ...USAGE.backup,
  builder: (y) =>
    y.positional('type', {
      type: 'string',
      describe: `${BACKUP_TYPES.join(', ')}, or list`,
    }) as never,
  handler: async (args) => {
    const type = args.type ?? 'incr';
    if (type !== 'list' && !(BACKUP_TYPES as readonly string[]).includes(type))
      throw new LabError(`type: expected ${BACKUP_TYPES.join(', ')} or list, got ${type}`, ExitCode.badInput);
    const ctx = await generatedContext(args);
    const backup = requireBackup(ctx.spec, `lab backup ${type}`);
    const provider = await createProvider(ctx);
    const out = process.stdout;
    if (type === 'list') {
      out.write(formatBackupList(await stanzaInfo(provider, backup)));
      return;
    }
    const started = Date.now();
    out.write(`lab ${ctx.spec.name}: ${type} backup of stanza ${backup.stanza} on ${backup.name} ...\n`);
    await pgbackrest(provider, backup.name, backup.stanza, [`--type=${type}`, 'backup'], { timeoutMs: BACKUP_TIMEOUT_MS });
    const latest = (await stanzaInfo(provider, backup)).backups.at(-1);
    out.write(
      `lab ${ctx.spec.name}: backup ${latest?.label ?? '?'} (${latest?.type ?? type}) done in ${formatSeconds(Date.now() - started)}` +
        `${latest ? `: database ${formatBytes(latest.databaseBytes)}, ${formatBytes(latest.repositoryBytes)} in the repository` : ''}\n`,
    );
  },
};
