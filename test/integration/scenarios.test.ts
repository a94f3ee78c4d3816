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
import { openLab, runNamedScenario } from '../../lab/scenarios/lab.js';
import { ROOT, runLab } from '../helpers.js';

const FIXTURE = path.join(ROOT, 'test/fixtures/scenario-lab.yaml');

const engine = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false });
if (engine.exitCode !== 0) {
  t.fail(`no Docker engine: these tests need one (${(engine.stderr || engine.stdout).trim().split('\n')[0]})`);
} else {
  t.teardown(async () => {
    await runLab(['down', '-f', FIXTURE], { timeoutMs: 300_000 });
  });
  const up = await runLab(['up', '-f', FIXTURE], { timeoutMs: 1_200_000 });
  t.equal(up.exitCode, 0, `lab up: ${up.exitCode === 0 ? 'ok' : up.stderr || up.stdout}`);
  if (up.exitCode === 0) {
    const lab = await openLab({ file: FIXTURE });
    const reports = path.join(lab.ctx.dir, 'reports');
    await mkdir(reports, { recursive: true });
    for (const name of await shippedScenarios()) {
      await t.test(`scenario ${name}`, async (t) => {
        const result = await runNamedScenario(lab, name);
        const scenario = await loadScenario(name);
        await writeFile(path.join(reports, `${name}.json`), jsonReport(scenario, result));
        await writeFile(path.join(reports, `${name}.html`), htmlReport(scenario, result));
        for (const c of result.checks) t.equal(c.status, 'pass', `${c.name}: ${c.summary}`);
        t.equal(result.verdict, 'pass', 'verdict');
        t.ok(result.lab.healthy, `the lab is healthy afterwards${result.lab.healthy ? '' : `: ${result.lab.problems.join('; ')}`}`);
      });
    }
  }
}
