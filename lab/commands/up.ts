/** `lab up`: generate the lab directory, heal what a killed scenario left, then create, provision and wait for a healthy lab. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { formatSeconds } from '../clock.js';
import { InterruptedError } from '../errors.js';
import { preflightWarnings, runPreflight } from '../preflight/index.js';
import { createProvider } from '../providers/index.js';
import { progressPrinter } from '../report/progress.js';
import { specContext } from '../labdir/context.js';
import { describeEntry, type HealOutcome } from '../scenarios/faults/journaled.js';
import { providerOption, type GlobalArgs } from './options.js';
import { upLab } from './session.js';
import { formatStatus } from './status-report.js';
import { USAGE } from './usage.js';

interface UpArgs extends GlobalArgs {
  timeout: number;
}

/** Where Ctrl-C arrives: the process, or in a unit test an emitter of its own. */
type SigintSource = Pick<NodeJS.Process, 'on' | 'off'>;

/**
 * Runs fn with a signal that the first Ctrl-C aborts (objects created so far stay labelled for
 * `lab down`); a second Ctrl-C exits at once. remedy: what the user runs next, said when it stops.
 * Whatever fn fails with once aborted (a build's exec cut off, a stream destroyed) ends as the
 * interruption it is: exit 130 and its message.
 */
export async function interruptible<T>(
  what: string,
  remedy: string,
  fn: (signal: AbortSignal) => Promise<T>,
  sigint: SigintSource = process,
): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nlab: stopping ${what} (Ctrl-C again to quit at once)\n`);
    controller.abort(new InterruptedError(what, remedy));
  };
  sigint.on('SIGINT', onSigint);
  try {
    return await fn(controller.signal);
  } catch (e) {
    if (controller.signal.aborted) throw new InterruptedError(what, remedy);
    throw e;
  } finally {
    sigint.off('SIGINT', onSigint);
  }
}

export const upCommand: CommandModule<GlobalArgs, UpArgs> = {
  ...USAGE.up,
  builder: (y) =>
    y.option('provider', providerOption).option('timeout', {
      type: 'number',
      default: 180,
      describe: 'Seconds to wait for the lab to become healthy after provisioning',
    }) as never,
  handler: async (args) => {
    const ctx = await specContext(args);
    const provider = await createProvider(ctx);
    for (const w of [...ctx.warnings, ...preflightWarnings(await runPreflight(ctx.spec, provider), ctx.spec.provider)])
      process.stderr.write(`warning: ${w}\n`);
    const started = Date.now();
    const onHeal = (o: HealOutcome): void =>
      void process.stdout.write(`${o.ok ? 'healed' : 'could not heal (yet)'}: ${describeEntry(o.entry)}: ${o.detail}\n`);
    const result = await interruptible(
      'lab up',
      'run `lab down` to remove what was created, or `lab up` to finish it',
      (signal) => upLab(ctx, { signal, onProgress: progressPrinter(), onHeal, healthyTimeoutMs: args.timeout * 1000 }),
    );
    const where = path.relative(process.cwd(), ctx.dir) || '.';
    process.stdout.write(
      result.changed || result.healed.length > 0
        ? `lab ${ctx.spec.name} is up and healthy (${formatSeconds(Date.now() - started)}); logs in ${where}/logs\n`
        : `lab ${ctx.spec.name} is already up and healthy: nothing changed\n`,
    );
    process.stdout.write(formatStatus(ctx.spec.name, ctx.spec, result.health));
    process.stdout.write(nextSteps(ctx.spec.entry !== null));
  },
};

/** What a user does with a lab that just came up: reach it, then break it. Pure. */
export function nextSteps(hasEntry: boolean): string {
  const reach = hasEntry
    ? 'lab env (connection settings per path), lab psql'
    : "lab psql NODE, lab env (the nodes' multi-host string)";
  return `Next: ${reach}; lab scenario failover (lab scenario --list for the others); lab down when done\n`;
}
