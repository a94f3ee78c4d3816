/** `lab generate`: lab.yaml -> Vagrantfile, provisioners and per-node configuration in the lab directory. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { providerOption, type GlobalArgs } from './options.js';
import { specContext } from '../labdir/context.js';
import { USAGE } from './usage.js';

interface GenerateArgs extends GlobalArgs {
  quiet: boolean;
}

export const generateCommand: CommandModule<GlobalArgs, GenerateArgs> = {
  ...USAGE.generate,
  builder: (y) =>
    y.option('provider', providerOption).option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: "Do not list the document's mistakes the lab fixes",
    }) as never,
  handler: async (args) => {
    const ctx = await specContext(args);
    // Loaded once lab.yaml is valid: a bad one is answered without the providers' clients.
    const [{ generateLab }, { preflightWarnings, runPreflight }, { createProvider }, { DOCUMENT_FIXES }] = await Promise.all([
      import('../labdir/generate.js'),
      import('../preflight/index.js'),
      import('../providers/index.js'),
      import('../render/index.js'),
    ]);
    const warnings = [
      ...ctx.warnings,
      ...preflightWarnings(await runPreflight(ctx.spec, await createProvider(ctx)), ctx.spec.provider),
    ];
    const result = await generateLab(ctx);
    const where = path.relative(process.cwd(), result.dir) || '.';
    const out = process.stdout;
    out.write(
      result.changed
        ? `generated ${where}: ${result.written.length} file(s) written, ${result.removed.length} removed\n`
        : `${where} is up to date: nothing changed\n`,
    );
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    if (!args.quiet) {
      out.write(`\nThe document's mistakes this lab fixes:\n`);
      for (const [i, fix] of DOCUMENT_FIXES.entries()) out.write(`  ${i + 1}. ${fix.mistake}\n     fixed: ${fix.fix}\n`);
    }
    // In a subshell, as the README writes it: `lab status` after it must run where lab.yaml is.
    out.write(`\nNext: ${ctx.spec.provider === 'vagrant' ? `(cd ${where} && vagrant up), then lab status` : 'lab up'}\n`);
  },
};
