/** `lab ssh NODE`: an interactive shell on a node, whatever the provider. */
import type { CommandModule } from 'yargs';
import { createProvider } from '../providers/index.js';
import { generatedContext } from '../labdir/context.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface SshArgs extends GlobalArgs {
  node: string;
}

export const sshCommand: CommandModule<GlobalArgs, SshArgs> = {
  ...USAGE.ssh,
  builder: (y) => y.positional('node', { type: 'string', demandOption: true, describe: 'Node name' }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    process.exitCode = await (await createProvider(ctx)).shell(args.node);
  },
};
