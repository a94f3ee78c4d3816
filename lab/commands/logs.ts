/** `lab logs NODE [SERVICE]`: a node's journal, or one service's, read on the node itself. */
import type { CommandModule } from 'yargs';
import { SERVICE_UNIT } from '../render/node-layout.js';
import { createProvider } from '../providers/index.js';
import { generatedContext } from '../labdir/context.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface LogsArgs extends GlobalArgs {
  node: string;
  service?: string;
  lines: number;
  follow: boolean;
}

/** Short names users type for the lab's units; anything else is passed to journalctl as given. */
const UNITS: Readonly<Record<string, string>> = { ...SERVICE_UNIT, postgresql: SERVICE_UNIT.postgres };

export function journalArgv(service: string | undefined, lines: number, follow = false): string[] {
  const argv = ['journalctl', '--no-pager', '-n', String(lines), ...(follow ? ['--follow'] : [])];
  return service ? [...argv, '-u', UNITS[service] ?? service] : [...argv, '-b'];
}

export const logsCommand: CommandModule<GlobalArgs, LogsArgs> = {
  ...USAGE.logs,
  builder: (y) =>
    y
      .positional('node', { type: 'string', demandOption: true, describe: 'Node name' })
      .positional('service', {
        type: 'string',
        describe: `Service (PostgreSQL runs under Patroni: postgres shows ${SERVICE_UNIT.postgres})`,
      })
      .option('lines', { alias: 'n', type: 'number', default: 200, describe: 'How many of the last lines' })
      // -F, not journalctl's -f: every command's -f is --file.
      .option('follow', {
        alias: 'F',
        type: 'boolean',
        default: false,
        describe: 'Keep printing new lines until Ctrl-C',
      }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const provider = await createProvider(ctx);
    // Following has no end of its own: it runs attached, as `lab ssh` does, until Ctrl-C.
    if (args.follow) {
      process.exitCode = await provider.shell(args.node, journalArgv(args.service, args.lines, true));
      return;
    }
    const result = await provider.exec(args.node, journalArgv(args.service, args.lines), { timeoutMs: 30_000 });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  },
};
