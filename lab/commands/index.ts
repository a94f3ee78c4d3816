/**
 * Every `lab` command by name, in the order `lab --help` lists them, each loaded only when asked for:
 * a command's module brings its whole stack (Docker's and ssh's clients, pg, the scenario engine), and
 * `lab generate` on a bad lab.yaml should not pay for `lab chaos`'s.
 */
import type { CommandModule } from 'yargs';

// biome-ignore lint/suspicious/noExplicitAny: the commands take different arguments; yargs checks each against its own builder
type AnyCommand = CommandModule<any, any>;

export const COMMANDS: Record<string, () => Promise<AnyCommand>> = {
  init: async () => (await import('./init.js')).initCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  up: async () => (await import('./up.js')).upCommand,
  status: async () => (await import('./status.js')).statusCommand,
  env: async () => (await import('./env.js')).envCommand,
  down: async () => (await import('./down.js')).downCommand,
  scenario: async () => (await import('./scenario.js')).scenarioCommand,
  chaos: async () => (await import('./chaos.js')).chaosCommand,
  heal: async () => (await import('./heal.js')).healCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  exec: async () => (await import('./exec.js')).execCommand,
  psql: async () => (await import('./psql.js')).psqlCommand,
  ssh: async () => (await import('./ssh.js')).sshCommand,
  logs: async () => (await import('./logs.js')).logsCommand,
  image: async () => (await import('./image.js')).imageCommand,
  workshop: async () => (await import('./workshop.js')).workshopCommand,
};

/** The command `name` alone when it is one, else every command (for help, and to suggest a name). */
export async function commandsFor(name: string | undefined): Promise<AnyCommand[]> {
  const one = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  return Promise.all(one ? [one()] : Object.values(COMMANDS).map((load) => load()));
}
