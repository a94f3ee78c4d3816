/**
 * `lab check FILE`: judge a saved History again, offline, with the checks its run named (a chaos
 * run's, for a streamed chaos History) and every check that finds something to judge in it, the
 * list-append anomaly checker among them. A run from CI can be judged on a laptop, against another
 * model, and exported for elle-cli. Exit 0 pass, 1 a check failed, 2 unknown, 3 bad input.
 */
import { writeFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { ExitCode, LabError } from '../errors.js';
import { checkLines } from '../report/console.js';
import { elleHistory } from '../report/elle.js';
import { MODELS } from '../scenarios/checks/anomalies/models.js';
import { runChecks, verdict, type CheckSpec } from '../scenarios/checks/index.js';
import { CHAOS_CHECKS } from '../scenarios/chaos/run.js';
import { readSavedHistory } from '../scenarios/history/file.js';
import type { History } from '../scenarios/history/history.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

const FORMATS = ['lab', 'elle'] as const;

interface CheckArgs extends GlobalArgs {
  file: string;
  model?: string;
  history?: string;
  historyFormat?: (typeof FORMATS)[number];
}

/** The History as `lab chaos --history` streams it: the meta, then one event a line. */
const historyLines = (h: History): string => [{ meta: h.meta }, ...h.events].map((v) => `${JSON.stringify(v)}\n`).join('');

export const checkCommand: CommandModule<GlobalArgs, CheckArgs> = {
  ...USAGE.check,
  builder: (y) =>
    y
      .positional('file', {
        type: 'string',
        demandOption: true,
        describe: 'A History: `lab chaos --history` or `lab scenario --json`',
      })
      .option('model', {
        type: 'string',
        choices: Object.keys(MODELS),
        describe: "The consistency model the anomalies check judges against (default: the transactions' isolation level's)",
      })
      .option('history', { type: 'string', describe: 'Also write the History to FILE, in --history-format' })
      .option('history-format', {
        type: 'string',
        choices: FORMATS,
        describe: "lab: JSON lines, as lab chaos streams; elle: elle-cli's JSON (the list-append transactions only)",
      }) as never,
  handler: async (args) => {
    if (args.historyFormat && !args.history)
      throw new LabError(
        '--history-format needs --history FILE to write to',
        ExitCode.badInput,
        'lab check RUN.jsonl --history run.elle.json --history-format elle',
      );
    const { history, checks } = await readSavedHistory(args.file);
    const named = checks.length > 0 ? checks : history.meta.scenario.startsWith('chaos-seed-') ? [...CHAOS_CHECKS] : [];
    const specs: CheckSpec[] = named.filter((n) => n !== 'anomalies').map((name) => ({ name, params: {} }));
    if (args.model) specs.push({ name: 'anomalies', params: { model: args.model } });
    else if (named.includes('anomalies')) specs.push({ name: 'anomalies', params: {} });
    const results = runChecks(history, specs);
    const overall = verdict(results);
    process.stdout.write(
      `${[`check of ${args.file} (scenario ${history.meta.scenario}): ${overall.toUpperCase()}`, ...checkLines(results)].join('\n')}\n`,
    );
    if (args.history) await writeFile(args.history, args.historyFormat === 'elle' ? elleHistory(history) : historyLines(history));
    process.exitCode = overall === 'pass' ? ExitCode.ok : overall === 'fail' ? ExitCode.checkFailed : ExitCode.infrastructure;
  },
};
