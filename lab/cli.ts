#!/usr/bin/env node
/** The `lab` command line: global options, the command list, and turning typed errors into exit codes. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { LabError, ExitCode } from './errors.js';
import { commands } from './commands/index.js';

export async function main(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName('lab')
    .usage('$0 <command> [options]\n\nReproduce the Percona PostgreSQL + Patroni + etcd + watchdog HA setup as a lab, then break it on purpose.')
    .option('file', { alias: 'f', type: 'string', default: 'lab.yaml', describe: 'The lab description', global: true })
    .option('dir', { alias: 'd', type: 'string', describe: 'Lab directory (default: labs/<name>)', global: true })
    .command(commands)
    .demandCommand(1, 'Name a command; see `lab --help`.')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error) throw error;
      throw new LabError(`${message} (see \`lab --help\`)`, ExitCode.badInput);
    });
  try {
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

process.exitCode = await main(hideBin(process.argv));
