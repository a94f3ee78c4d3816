/** Options shared by several commands, declared once. */
export const providerOption = {
  type: 'string',
  choices: ['vagrant', 'docker'],
  describe: 'Override lab.yaml provider',
} as const;

/** The global options every command gets (`--file`, `--dir`, and `--provider` where declared). */
export type { LabLocation as GlobalArgs } from '../labdir/context.js';
