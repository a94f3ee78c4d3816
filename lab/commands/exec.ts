/** `lab exec NODE -- CMD...`: run a command on a node as root, whatever the provider; exits with its code. */
import type { CommandModule } from 'yargs';
import { ExitCode, LabError } from '../errors.js';
import { createProvider } from '../providers/index.js';
import { generatedContext } from '../labdir/context.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface ExecArgs extends GlobalArgs {
  node: string;
  command: string[];
  timeout: number;
}

export const execCommand: CommandModule<GlobalArgs, ExecArgs> = {
  ...USAGE.exec,
  builder: (y) =>
    y
      .positional('node', { type: 'string', demandOption: true, describe: 'Node name' })
      .positional('command', { type: 'string', array: true, describe: 'The command and its arguments, after --' })
      .option('timeout', { type: 'number', default: 300, describe: 'Seconds before the command is stopped' }) as never,
  handler: async (args) => {
    // yargs leaves what follows `--` in `_` after the command name; both spellings are accepted.
    const argv = [...(args.command ?? []), ...(args._ ?? []).slice(1).map(String)];
    if (argv.length === 0)
      throw new LabError(
        'no command given',
        ExitCode.badInput,
        `e.g. lab exec ${args.node} -- patronictl -c /etc/patroni/config.yml list`,
      );
    const ctx = await generatedContext(args);
    const result = await (await createProvider(ctx)).exec(args.node, argv, { timeoutMs: args.timeout * 1000 });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  },
};
