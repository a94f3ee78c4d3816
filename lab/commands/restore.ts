/**
 * `lab restore --to TIME | --to-lsn LSN | --latest`: the whole cluster restored from the repository,
 * the way Patroni needs it (cluster/restore.ts; docs/backup.md for doing it by hand), then waited
 * for until healthy. A target the repository cannot reach is refused (exit 3) before anything changes.
 */
import type { CommandModule } from 'yargs';
import { formatSeconds } from '../clock.js';
import { LabAccess } from '../cluster/access.js';
import { parseRestoreTarget, requireBackup } from '../cluster/pgbackrest.js';
import { labHealthy, waitFor } from '../cluster/readiness.js';
import { restoreCluster } from '../cluster/restore.js';
import { progressPrinter } from '../report/progress.js';
import { formatStatus } from './status-report.js';
import type { GlobalArgs } from './options.js';
import { openLab } from './session.js';
import { interruptible } from './up.js';
import { USAGE } from './usage.js';

interface RestoreArgs extends GlobalArgs {
  to?: string;
  toLsn?: string;
  latest?: boolean;
  timeout: number;
}

export const restoreCommand: CommandModule<GlobalArgs, RestoreArgs> = {
  ...USAGE.restore,
  builder: (y) =>
    y
      .option('to', {
        type: 'string',
        describe: 'A time with its zone (2026-12-08T10:15:00Z): the last transaction committed by then is kept',
      })
      .option('to-lsn', { type: 'string', describe: 'A WAL position (0/3000060): replay up to it' })
      .option('latest', { type: 'boolean', describe: 'Replay every WAL segment the archive holds' })
      .option('timeout', {
        type: 'number',
        default: 300,
        describe: 'Seconds to wait for the lab to become healthy after the restore',
      }) as never,
  handler: async (args) => {
    const target = parseRestoreTarget(args);
    const lab = await openLab(args);
    const { ctx, provider } = lab;
    const backup = requireBackup(ctx.spec, 'lab restore');
    const started = Date.now();
    const onProgress = progressPrinter();
    const result = await interruptible(
      'lab restore',
      'the cluster is part-way through its restore: run `lab restore` with the same target again to finish it',
      async (signal) => {
        const restored = await restoreCluster(provider, ctx.spec, backup, target, { onProgress, signal });
        const access = new LabAccess(provider, lab.secrets);
        try {
          const health = await waitFor(labHealthy(access, ctx.spec, args.timeout * 1000), { onProgress, signal });
          return { ...restored, health };
        } finally {
          await access.close();
        }
      },
    );
    const timeline = result.health.samples.find((s) => s.node === result.health.leader)?.timeline ?? '?';
    process.stdout.write(
      `lab ${ctx.spec.name}: restored on ${result.leader} (promoted onto timeline ${result.promotedTimeline} at the target), now on timeline ${timeline}, healthy in ${formatSeconds(Date.now() - started)}\n`,
    );
    process.stdout.write(formatStatus(ctx.spec.name, ctx.spec, result.health));
  },
};
