/** The `lab` command line: global options, the command list, and turning typed errors into exit codes. */
import yargs from 'yargs';
import { LabError, ExitCode } from './errors.js';
import { withCommands } from './commands/index.js';
import { packageVersion } from './render/package-files.js';

const GLOBAL_OPTIONS = {
  file: {
    alias: 'f',
    type: 'string',
    default: 'lab.yaml',
    describe: 'The lab description (lab workshop reads -w instead)',
    global: true,
    requiresArg: true,
  },
  dir: {
    alias: 'd',
    type: 'string',
    describe: 'Lab directory (default: labs/<name>); for lab workshop, the workshop directory (default: workshops/<name>)',
    global: true,
    requiresArg: true,
  },
} as const;

/**
 * The command named on the line, if one is: only its module is loaded. Read by hand, not by a second
 * yargs (a quarter of a bare start's cost): the first word that is neither an option nor the value of
 * the global -f/-d (a wrong line is the full parse's to explain). Pure.
 */
export function commandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return undefined;
    if (/^(-f|-d|--file|--dir)$/.test(word)) i++;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  try {
    // Inside the try: loading a command's module can fail too, and must end in an exit code.
    const described = yargs(argv)
      .scriptName('lab')
      .usage(
        '$0 <command> [options]\n\nReproduce the Percona PostgreSQL + Patroni + etcd + watchdog HA setup as a lab, then break it on purpose.',
      )
      .options(GLOBAL_OPTIONS);
    const parser = (await withCommands(described, commandName(argv)))
      .demandCommand(1, 'Name a command; see `lab --help`.')
      .strict()
      .recommendCommands()
      .help()
      .alias('help', 'h')
      // Given, not guessed: yargs looks for package.json beside its own module, which the bundle (scripts/bundle.mjs) moved.
      .version(packageVersion())
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .fail((message, error) => {
        // yargs reports its own validation (a missing option value, say) as a YError: bad input too.
        if (error && error.name !== 'YError') throw error;
        const text = message ?? error?.message ?? 'bad arguments';
        const hint = /following: f$/.test(text)
          ? '-f names the lab file (--file); to follow a journal: lab logs NODE SERVICE --follow (-F)'
          : undefined;
        throw new LabError(`${text} (see \`lab --help\`)`, ExitCode.badInput, hint);
      });
    await parser.parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (e) {
    if (e instanceof LabError) {
      process.stderr.write(`lab: ${e.message}\n${e.hint ? `  fix: ${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    process.stderr.write(`lab: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.infrastructure;
  }
}
