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
}

/** Short names users type for the lab's units; anything else is passed to journalctl as given. */
const UNITS: Readonly<Record<string, string>> = { ...SERVICE_UNIT, postgresql: SERVICE_UNIT.postgres };

export function journalArgv(service: string | undefined, lines: number): string[] {
  const argv = ['journalctl', '--no-pager', '-n', String(lines)];
  return service ? [...argv, '-u', UNITS[service] ?? service] : [...argv, '-b'];
}

export const logsCommand: CommandModule<GlobalArgs, LogsArgs> = {
  ...USAGE.logs,
  builder: (y) =>
    y
      .positional('node', { type: 'string', demandOption: true, describe: 'Node name' })
      .positional('service', { type: 'string', describe: `Service (PostgreSQL runs under Patroni: postgres shows ${SERVICE_UNIT.postgres})` })
      .option('lines', { alias: 'n', type: 'number', default: 200, describe: 'How many of the last lines' }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const result = await (await createProvider(ctx)).exec(args.node, journalArgv(args.service, args.lines), { timeoutMs: 30_000 });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  },
};
