/**
 * Every `lab` command by name, each loaded only when asked for: a command's module brings its whole
 * stack (Docker's and ssh's clients, pg, the scenario engine), and `lab generate` on a bad lab.yaml
 * should not pay for `lab chaos`'s. What the commands are called and say they do is in usage.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import { USAGE, type CommandName } from './usage.js';

// biome-ignore lint/suspicious/noExplicitAny: the commands take different arguments; yargs checks each against its own builder
type AnyCommand = CommandModule<any, any>;

export const COMMANDS: Record<CommandName, () => Promise<AnyCommand>> = {
  init: async () => (await import('./init.js')).initCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  up: async () => (await import('./up.js')).upCommand,
  status: async () => (await import('./status.js')).statusCommand,
  env: async () => (await import('./env.js')).envCommand,
  down: async () => (await import('./down.js')).downCommand,
  scenario: async () => (await import('./scenario.js')).scenarioCommand,
  chaos: async () => (await import('./chaos.js')).chaosCommand,
  check: async () => (await import('./check.js')).checkCommand,
  heal: async () => (await import('./heal.js')).healCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  exec: async () => (await import('./exec.js')).execCommand,
  psql: async () => (await import('./psql.js')).psqlCommand,
  ssh: async () => (await import('./ssh.js')).sshCommand,
  logs: async () => (await import('./logs.js')).logsCommand,
  backup: async () => (await import('./backup.js')).backupCommand,
  restore: async () => (await import('./restore.js')).restoreCommand,
  image: async () => (await import('./image.js')).imageCommand,
  workshop: async () => (await import('./workshop.js')).workshopCommand,
};

/**
 * `parser` with the command `name`, loaded, when it is one. Else with every command as its usage line
 * alone, which is all that `lab --help`, `--version`, a missing command and a mistyped one need.
 */
export async function withCommands<T>(parser: Argv<T>, name: string | undefined): Promise<Argv<T>> {
  if (name !== undefined && Object.hasOwn(COMMANDS, name)) return parser.command(await COMMANDS[name as CommandName]());
  return Object.values(USAGE).reduce((p, usage) => p.command(usage.command, usage.describe), parser);
}
