/**
 * `lab status`: the lab's nodes, its health, its entry points and the faults left in force
 * (status-report.ts). That module and what it loads (the providers' clients, the probes, the fault
 * kit) come once there is a generated lab to look at, so a missing one is answered at once.
 */
import type { CommandModule } from 'yargs';
import { generatedContext } from '../labdir/context.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

export interface StatusArgs extends GlobalArgs {
  json: boolean;
}

export const statusCommand: CommandModule<GlobalArgs, StatusArgs> = {
  ...USAGE.status,
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of tables' }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const { reportStatus } = await import('./status-report.js');
    await reportStatus(ctx, args);
  },
};
