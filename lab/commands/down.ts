/** `lab down`: remove exactly what this lab created, found by its label (works after a crash or Ctrl-C). */
import type { CommandModule } from 'yargs';
import { generatedContext } from '../labdir/context.js';
import type { GlobalArgs } from './options.js';
import { downLab } from './session.js';
import { USAGE } from './usage.js';

interface DownArgs extends GlobalArgs {
  images: boolean;
}

export const downCommand: CommandModule<GlobalArgs, DownArgs> = {
  ...USAGE.down,
  builder: (y) =>
    y.option('images', {
      type: 'boolean',
      default: false,
      describe: 'Also remove the node and entry images this lab built (the next up reinstalls packages)',
    }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const result = await downLab(ctx, { images: args.images });
    const out = process.stdout;
    if (result.removed.length === 0) out.write(`lab ${ctx.spec.name}: nothing to remove\n`);
    else out.write(`lab ${ctx.spec.name}: removed\n${result.removed.map((r) => `  ${r}\n`).join('')}`);
    for (const kept of result.kept) process.stderr.write(`kept ${kept}\n`);
  },
};
