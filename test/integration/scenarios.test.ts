/**
 * Every shipped scenario, run for real on the Docker provider against the tuned lab of
 * test/fixtures/scenario-lab.yaml: each check must pass and the lab must be healthy afterwards.
 * No Docker engine is a failure, not a skip. Reports (JSON, HTML) land in labs/scen/reports/ for CI.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { htmlReport } from '../../lab/report/picture.js';
import { jsonReport } from '../../lab/report/json.js';
import { loadScenario, shippedScenarios } from '../../lab/scenarios/load.js';
import { runSuite } from '../../lab/scenarios/suite.js';
import { ROOT, runLab } from '../helpers.js';

const FIXTURE = path.join(ROOT, 'test/fixtures/scenario-lab.yaml');

/**
 * Scenarios that run in full but are expected to find a fault in the software under test, not in
 * the lab: each of their assertions is still made and printed, marked TODO (a failure shows, but
 * does not fail CI) until the packaged version is fixed.
 */
const KNOWN_UPSTREAM_FAILURES: Record<string, string> = {
  partition:
    "Debian's Patroni 3.0.2 on etcd3, in 3 of 4 runs: after the heal the demoted old leader updates the leader key again " +
    'and promotes itself, the new leader demotes, and its acknowledged writes are lost (same symptom as patroni/patroni#3314)',
};

// One parent test, registered at once: tap ends the root test if it awaits before creating any.
t.test('every shipped scenario on the Docker provider', async (t) => {
  const engine = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false });
  if (engine.exitCode !== 0) {
    t.fail(`no Docker engine: these tests need one (${(engine.stderr || engine.stdout).trim().split('\n')[0]})`);
  } else {
    t.teardown(async () => {
      await runLab(['down', '-f', FIXTURE], { timeoutMs: 300_000 });
    });
    const up = await runLab(['up', '-f', FIXTURE], { timeoutMs: 1_200_000 });
    t.equal(up.exitCode, 0, `lab up: ${up.exitCode === 0 ? 'ok' : up.stderr || up.stdout}`);
    if (up.exitCode !== 0) return;
    const reports = path.join(ROOT, 'labs', 'scen', 'reports');
    await mkdir(reports, { recursive: true });
    // Known upstream failures last, so what they leave behind cannot spoil another scenario.
    const names = (await shippedScenarios()).sort((a, b) => Number(a in KNOWN_UPSTREAM_FAILURES) - Number(b in KNOWN_UPSTREAM_FAILURES));
    for await (const { name, result, recreated } of runSuite(FIXTURE, names, (line) => t.comment(line))) {
      const todo = KNOWN_UPSTREAM_FAILURES[name];
      const known = todo ? { todo } : {};
      await t.test(`scenario ${name}`, async (t) => {
        const scenario = await loadScenario(name);
        await writeFile(path.join(reports, `${name}.json`), jsonReport(scenario, result));
        await writeFile(path.join(reports, `${name}.html`), htmlReport(scenario, result));
        for (const c of result.checks) t.equal(c.status, 'pass', `${c.name}: ${c.summary}`, known);
        t.equal(result.verdict, 'pass', 'verdict', known);
        t.ok(result.lab.healthy, `the lab is healthy afterwards${result.lab.healthy ? '' : `: ${result.lab.problems.join('; ')} (re-created: ${recreated})`}`, known);
      });
    }
  }
});
