/**
 * `lab scenario NAME|FILE`: scripted chaos against a running lab, judged from the recorded History.
 * Exit code: 0 every check passed (and the lab is healthy again), 1 a check failed, 2 unknown or an
 * infrastructure problem, 130 interrupted.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { ExitCode, LabError } from '../errors.js';
import { formatSummary, liveTimeline } from '../report/console.js';
import { htmlReport, svgTimeline } from '../report/picture.js';
import { jsonReport } from '../report/json.js';
import { junitReport } from '../report/junit.js';
import { tapReport } from '../report/tap.js';
import { runScenario, type RunResult } from '../scenarios/engine.js';
import { AFTER_INTERRUPTED_RUN, openLab } from './session.js';
import { loadScenario, scenarioDirs } from '../scenarios/load.js';
import { parseDuration } from '../scenarios/bounds.js';
import { providerOption, type GlobalArgs } from './options.js';
import { interruptible } from './up.js';
import { USAGE } from './usage.js';

interface ScenarioArgs extends GlobalArgs {
  scenario?: string;
  list: boolean;
  json?: string;
  tap: boolean;
  junit?: string;
  html?: string;
  workload?: string;
  workloadGrace: string;
}

async function listScenarios(): Promise<string> {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const dir of scenarioDirs()) {
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.yaml')).sort()) {
      const name = file.replace(/\.yaml$/, '');
      if (seen.has(name)) continue;
      seen.add(name);
      const s = await loadScenario(name, [dir]).then(
        (x) => x.summary,
        (e: unknown) => `INVALID: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      );
      lines.push(`${name.padEnd(18)} ${s}  (${path.relative(process.cwd(), path.join(dir, file))})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** --workload and --workload-grace, checked before anything runs (exit 3). Pure. */
export function workloadOption(line: string, grace: string): { line: string; graceMs: number } {
  if (line.trim() === '')
    throw new LabError(
      '--workload: expected a command, got an empty string',
      ExitCode.badInput,
      'e.g. --workload \'psql -c "select 1"\'',
    );
  try {
    return { line, graceMs: parseDuration(grace) };
  } catch (e) {
    throw new LabError(
      `--workload-grace: ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.badInput,
      'e.g. --workload-grace 30s',
    );
  }
}

export function scenarioExitCode(result: RunResult): number {
  if (result.interrupted) return ExitCode.interrupted;
  if (result.verdict === 'fail') return ExitCode.checkFailed;
  if (result.verdict === 'unknown' || !result.lab.healthy) return ExitCode.infrastructure;
  return ExitCode.ok;
}

export const scenarioCommand: CommandModule<GlobalArgs, ScenarioArgs> = {
  ...USAGE.scenario,
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', describe: 'Scenario name (see --list) or path to a scenario YAML file' })
      .option('list', { type: 'boolean', default: false, describe: 'List the scenarios and exit' })
      .option('json', { type: 'string', describe: 'Write every figure, check and the whole History to FILE' })
      .option('tap', { type: 'boolean', default: false, describe: 'Print TAP on stdout (the live timeline goes to stderr)' })
      .option('junit', { type: 'string', describe: 'Write JUnit XML to FILE' })
      .option('html', {
        type: 'string',
        describe: 'Write a picture of the run to FILE (.svg: the timeline alone; otherwise HTML)',
      })
      .option('workload', {
        type: 'string',
        describe:
          "Run CMD (bash -c) during the scenario with `lab env`'s settings and client timeouts (PGCONNECT_TIMEOUT=5, statement_timeout 10s, unless your environment sets them) in its environment, its output shown as it comes; the scenario fails if it fails",
      })
      .option('workload-grace', {
        type: 'string',
        default: '30s',
        describe: 'How long CMD may run on after the steps before it is ended (SIGTERM, then SIGKILL)',
      })
      .option('provider', providerOption) as never,
  handler: async (args) => {
    if (args.list) {
      process.stdout.write(await listScenarios());
      return;
    }
    if (!args.scenario) throw new LabError('name a scenario', ExitCode.badInput, 'see `lab scenario --list`');
    const command = args.workload === undefined ? undefined : workloadOption(args.workload, args.workloadGrace);
    const scenario = await loadScenario(args.scenario);
    const lab = await openLab(args);
    const live = args.tap ? process.stderr : process.stdout;
    live.write(`scenario ${scenario.name} on lab ${lab.ctx.spec.name}: ${scenario.summary}\n`);
    const timeline = liveTimeline((line) => live.write(`${line}\n`));
    const result = await interruptible(`scenario ${scenario.name}`, AFTER_INTERRUPTED_RUN, (signal) =>
      runScenario({
        scenario,
        spec: lab.ctx.spec,
        provider: lab.provider,
        secrets: lab.secrets,
        journal: lab.journal,
        signal,
        onEvent: timeline.listen,
        ...(command ? { command: { ...command, onLine: (line: string) => live.write(`  workload | ${line}\n`) } } : {}),
      }),
    );
    for (const line of timeline.withLogs()) live.write(`${line}\n`);
    live.write(formatSummary(result));
    if (args.tap) process.stdout.write(tapReport(result));
    if (args.json) await writeFile(args.json, jsonReport(scenario, result));
    if (args.junit) await writeFile(args.junit, junitReport(result));
    if (args.html)
      await writeFile(args.html, args.html.endsWith('.svg') ? svgTimeline(result.history) : htmlReport(scenario, result));
    process.exitCode = scenarioExitCode(result);
  },
};
