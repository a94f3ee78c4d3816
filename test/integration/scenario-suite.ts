/**
 * The scenario suites CI runs for real, on a lab the test brought up itself (the Docker provider's
 * in docker.ts, the Vagrant provider's in as-documented-vagrant.ts). Every check of every scenario
 * must pass and the lab must be healthy afterwards; then, on the same lab, a seeded chaos run.
 * Reports (JSON, HTML, the chaos History) land in labs/<lab>/reports/ for CI.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Test } from 'tap';
import { htmlReport } from '../../lab/report/picture.js';
import { jsonReport } from '../../lab/report/json.js';
import type { LabLocation } from '../../lab/labdir/context.js';
import { loadScenario } from '../../lab/scenarios/load.js';
import { runSuite } from '../../lab/commands/suite.js';
import { excusing } from '../../lab/scenarios/checks/findings.js';
import { chaosOn, type OpenLab } from '../../lab/commands/session.js';
import { chaosHtml, chaosJson, formatChaosFigures } from '../../lab/report/chaos.js';
import { parseChaosFlags } from '../../lab/scenarios/chaos/settings.js';
import { ROOT } from '../helpers.js';
import { assertEntryPaths } from './entry-assertions.js';
import { assertConnectBound, withConnectBound } from './connect-bound.js';

/** What runs on a lab: scenarios, each checked, then a chaos run. */
export interface SuitePlan {
  /** The lab's name: its reports go to labs/<lab>/reports/. */
  lab: string;
  scenarios: string[];
  /** synchronous_mode: no acknowledged write may be lost. */
  lossless: boolean;
  /** The lab has an `entry:` section: each scenario's per-path figures are checked against its History (entry-assertions.ts). */
  entryPaths?: boolean;
  /** `lab scenario NAME --workload CMD` for one of the scenarios: its workload-command check must pass with the others. */
  workload?: { scenario: string; command: string };
  /** A chaos run after the scenarios, which must pass. */
  chaos?: { seed: number; duration: string; quiet: string };
}

/**
 * The plan's scenarios on the running lab at LOCATION, then its chaos run, each asserted; the lab is
 * taken down at the end (runSuite), whatever happened, unless the caller keeps it (keepLab).
 */
export async function suiteOnLab(
  t: Test,
  location: LabLocation,
  suite: SuitePlan,
  options: { keepLab?: boolean } = {},
): Promise<void> {
  const reports = path.join(ROOT, 'labs', suite.lab, 'reports');
  await mkdir(reports, { recursive: true });
  const chaosRun = suite.chaos;
  const chaos =
    chaosRun &&
    (async (lab: OpenLab): Promise<void> =>
      void (await t.test(
        `lab chaos --seed ${chaosRun.seed} --duration ${chaosRun.duration} --quiet ${chaosRun.quiet}`,
        async (t) => {
          const settings = parseChaosFlags({ ...chaosRun, interval: '20s..60s', overlap: false });
          const run = await chaosOn(lab, settings, { historyFile: path.join(reports, `chaos-seed-${settings.seed}.jsonl`) });
          await writeFile(path.join(reports, `chaos-seed-${settings.seed}.json`), chaosJson(run));
          await writeFile(path.join(reports, `chaos-seed-${settings.seed}.html`), chaosHtml(run));
          t.comment(`chaos figures on ${suite.lab}:\n${formatChaosFigures(run.figures)}`);
          t.ok(run.schedule.length > 0, `${run.schedule.length} fault(s) scheduled`);
          t.equal(run.figures.faults.length, run.schedule.length, 'every scheduled fault injected');
          t.ok(run.figures.availabilityPercent !== null && run.figures.phases.length > 0, 'availability and latency measured');
          t.ok(
            run.result.lab.healthy,
            `the lab is healthy at the end${run.result.lab.healthy ? '' : `: ${run.result.lab.problems.join('; ')}`}`,
          );
          t.equal(run.result.checks.find((c) => c.name === 'faults-healed')?.status, 'pass', 'every fault healed');
          const upstream = excusing(run.result.findings);
          const known = upstream.length > 0 ? { todo: `known finding: ${upstream.map((f) => f.id).join(', ')}` } : {};
          for (const c of run.result.checks)
            t.equal(c.status, 'pass', `${c.name}: ${c.summary}`, { ...known, evidence: c.evidence });
          t.equal(run.result.verdict, 'pass', 'verdict', known);
        },
      )));
  for await (const { name, result, recreated } of runSuite(location, suite.scenarios, {
    log: (line) => t.comment(line),
    keepLab: options.keepLab ?? false,
    ...(chaos ? { afterAll: chaos } : {}),
    // With entry points, psql with no timeout of its own also connects through them in a loop during the switchover and failover (connect-bound.ts).
    workloads: ((w) => (suite.entryPaths ? withConnectBound(w) : w))(
      suite.workload ? { [suite.workload.scenario]: { line: suite.workload.command, graceMs: 30_000 } } : {},
    ),
  })) {
    await t.test(`scenario ${name}`, async (t) => {
      const scenario = await loadScenario(name);
      await writeFile(path.join(reports, `${name}.json`), jsonReport(scenario, result));
      await writeFile(path.join(reports, `${name}.html`), htmlReport(scenario, result));
      // A known upstream bug, proven by Patroni's own log lines, is reported as TODO: each assertion
      // still runs and prints, and any failure without such evidence fails CI.
      for (const f of result.findings)
        t.comment(`${f.kind === 'observation' ? 'finding' : 'known finding'} ${f.id}: ${f.summary}\n${f.evidence.join('\n')}`);
      // Only a known upstream bug excuses a failure; an observation (hung operations) excuses nothing.
      const upstream = excusing(result.findings);
      const known = upstream.length > 0 ? { todo: `known finding: ${upstream.map((f) => f.id).join(', ')}` } : {};
      // A failing check's evidence goes into its diagnostic: CI's log is all a landing run leaves.
      for (const c of result.checks) t.equal(c.status, 'pass', `${c.name}: ${c.summary}`, { ...known, evidence: c.evidence });
      if (suite.lossless) {
        const lost = result.checks.find((c) => c.name === 'no-lost-writes');
        t.equal(
          lost?.figures.lost,
          0,
          `synchronous_mode: no acknowledged write lost (${lost?.summary ?? 'no such check'})`,
          known,
        );
      }
      t.equal(result.verdict, 'pass', 'verdict', known);
      if (suite.entryPaths) assertEntryPaths(t, name, result);
      if (suite.entryPaths) assertConnectBound(t, name, result);
      t.ok(
        result.lab.healthy,
        `the lab is healthy afterwards${result.lab.healthy ? '' : `: ${result.lab.problems.join('; ')} (re-created: ${recreated})`}`,
      );
    });
  }
}
