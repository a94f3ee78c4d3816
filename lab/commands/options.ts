/** Options shared by several commands, declared once. */
import { PROVIDER_KINDS } from '../spec/provider-kinds.js';

export const providerOption = {
  type: 'string',
  choices: PROVIDER_KINDS,
  describe: 'Override lab.yaml provider',
} as const;

/** The global options every command gets (`--file`, `--dir`, and `--provider` where declared). */
export type { LabLocation as GlobalArgs } from '../labdir/context.js';
