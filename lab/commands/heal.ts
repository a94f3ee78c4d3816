/**
 * `lab heal`: undo every fault a scenario left in force (it was killed before its own heal ran), from
 * the lab directory's fault journal alone. Exit 0 when every one healed (or there was none), 2 otherwise.
 */
import type { CommandModule } from 'yargs';
import { ExitCode } from '../errors.js';
import { FaultJournal } from '../labdir/fault-journal.js';
import { generatedContext } from '../labdir/context.js';
import { createProvider } from '../providers/index.js';
import { describeEntry, healJournaled } from '../scenarios/faults/journaled.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface HealArgs extends GlobalArgs {
  force: boolean;
}

export const healCommand: CommandModule<GlobalArgs, HealArgs> = {
  ...USAGE.heal,
  builder: (y) =>
    y.option('force', {
      type: 'boolean',
      default: false,
      describe: 'Also heal the faults of a scenario that is still running',
    }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const journal = new FaultJournal(ctx.dir);
    const out = process.stdout;
    const outcomes = await healJournaled(
      journal,
      { provider: await createProvider(ctx) },
      {
        force: args.force,
        onOutcome: (o) => out.write(`${o.ok ? 'healed' : 'NOT healed'}: ${describeEntry(o.entry)}: ${o.detail}\n`),
      },
    );
    if (outcomes.length === 0) {
      out.write(`lab ${ctx.spec.name}: no fault in force; nothing to heal\n`);
      return;
    }
    const failed = outcomes.filter((o) => !o.ok).length;
    if (failed === 0) {
      out.write(
        `lab ${ctx.spec.name}: ${outcomes.length} fault(s) healed; the cluster recovers by itself now (\`lab status\` says when it is healthy)\n`,
      );
      return;
    }
    out.write(
      `lab ${ctx.spec.name}: ${failed} of ${outcomes.length} fault(s) not healed; they stay in ${journal.file} (run \`lab heal\` again once the cause is fixed)\n`,
    );
    process.exitCode = ExitCode.infrastructure;
  },
};
