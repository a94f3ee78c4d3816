/**
 * `lab chaos --seed N --duration D`: a seeded random schedule of faults against the running lab, with
 * the writer and the sampler throughout and the same checks judging the whole History. The schedule
 * is printed first; `--dry-run` prints it and touches nothing. Exit codes as `lab scenario`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { chaosHtml, chaosJson, formatChaosFigures } from '../report/chaos.js';
import { formatSummary, liveTimeline } from '../report/console.js';
import { formatSchedule, generateSchedule } from '../scenarios/chaos/schedule.js';
import { CHAOS_DEFAULTS, parseChaosFlags, type ChaosFlags } from '../scenarios/chaos/settings.js';
import { providerOption, type GlobalArgs } from './options.js';
import { scenarioExitCode } from './scenario.js';
import { AFTER_INTERRUPTED_RUN, chaosOn, defaultChaosHistory, openLab } from './session.js';
import { interruptible } from './up.js';
import { USAGE } from './usage.js';

interface ChaosArgs extends GlobalArgs, ChaosFlags {
  dryRun: boolean;
  json?: string;
  html?: string;
  history?: string;
}

export const chaosCommand: CommandModule<GlobalArgs, ChaosArgs> = {
  ...USAGE.chaos,
  builder: (y) =>
    y
      .option('seed', { type: 'number', describe: 'Seed of the schedule: the same seed gives the same schedule' })
      .option('duration', { type: 'string', describe: 'How long the run lasts: 3m, 10m, 2h' })
      .option('faults', {
        type: 'string',
        describe: 'Comma-separated faults to draw from (default: every fault with chaos traits)',
      })
      .option('interval', {
        type: 'string',
        default: CHAOS_DEFAULTS.interval,
        describe: "From one fault's start to the next: SHORTEST..LONGEST",
      })
      .option('quiet', {
        type: 'string',
        default: CHAOS_DEFAULTS.quiet,
        describe: 'No fault at the start, at the end, and between a heal and the next fault',
      })
      .option('overlap', {
        type: 'boolean',
        default: false,
        describe: 'Let faults that allow it start while others are in force',
      })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the schedule and exit; the lab is not touched' })
      .option('history', {
        type: 'string',
        describe: 'Where the History is streamed as JSON lines (default: chaos/seed-N-TIME.jsonl in the lab directory)',
      })
      .option('json', { type: 'string', describe: 'Write the figures, checks and schedule to FILE' })
      .option('html', { type: 'string', describe: 'Write the report with its latency picture to FILE' })
      .option('provider', providerOption)
      .strictOptions() as never,
  handler: async (args) => {
    const settings = parseChaosFlags(args);
    process.stdout.write(formatSchedule(generateSchedule(settings), settings));
    if (args.dryRun) return;
    const lab = await openLab(args);
    const historyFile = path.resolve(args.history ?? defaultChaosHistory(lab, settings.seed));
    const out = process.stdout;
    out.write(
      `chaos on lab ${lab.ctx.spec.name}; History streamed to ${path.relative(process.cwd(), historyFile) || historyFile}\n`,
    );
    const timeline = liveTimeline((line) => out.write(`${line}\n`));
    const run = await interruptible('lab chaos', AFTER_INTERRUPTED_RUN, (signal) =>
      chaosOn(lab, settings, { historyFile, signal, onEvent: timeline.listen }),
    );
    for (const line of timeline.withLogs()) out.write(`${line}\n`);
    out.write(formatSummary(run.result, { failoverFigures: false }));
    out.write(formatChaosFigures(run.figures));
    if (args.json) await writeFile(args.json, chaosJson(run));
    if (args.html) await writeFile(args.html, chaosHtml(run));
    process.exitCode = scenarioExitCode(run.result);
  },
};
