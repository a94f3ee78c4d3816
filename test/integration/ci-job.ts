/**
 * docs/ci.md's job as written (scripts/ci-job.sh), run as the Docker half's last step on the scenario
 * lab, which is up: it runs a scenario with a workload, keeps the artifacts a CI keeps, and its
 * cleanup removes the lab. So the page a CI engineer copies from is the script CI runs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { Test } from 'tap';
import { CLI, ROOT } from '../helpers.js';
import { junitSchemaProblems } from '../report/junit-schema.js';
import { leftovers, type TestLab } from './docker-harness.js';

export async function ciJob(t: Test, lab: TestLab): Promise<void> {
  const artifacts = path.join(lab.work, 'artifacts');
  const job = await execa('bash', [path.join(ROOT, 'scripts/ci-job.sh')], {
    cwd: lab.work,
    env: {
      NO_COLOR: '1',
      // As runLab starts lab: without tap's process tracker (test/helpers.ts says why).
      LAB: `env -u NODE_OPTIONS node ${CLI}`,
      LAB_FILE: path.join(lab.work, 'lab.yaml'),
      LAB_DIR: lab.ctx.dir,
      SCENARIOS: 'switchover',
      // As a CI workload should: it rides through the switchover (a psql at that moment may fail) and
      // fails only if nothing answered.
      WORKLOAD:
        'ok=0; for i in 1 2 3 4 5 6; do if psql -Atc "select $i"; then ok=$((ok + 1)); fi; sleep 1; done; echo "answered $ok of 6"; ((ok > 0))',
      ARTIFACTS: artifacts,
    },
    all: true,
    reject: false,
    timeout: 900_000,
  });
  t.equal(job.exitCode, 0, `the job exits 0: ${job.all?.split('\n').slice(-15).join('\n')}`);
  t.match(job.all, /ci-job: scenario switchover exited 0/, 'the scenario ran and passed');
  t.match(job.all, /workload \| answered [1-6] of 6/, "the workload's output came through, prefixed");
  for (const file of ['switchover.xml', 'switchover.json', 'switchover.html', 'status-before.json', 'status-after.json']) {
    t.ok(existsSync(path.join(artifacts, file)), `artifact ${file}`);
  }
  const junit = await readFile(path.join(artifacts, 'switchover.xml'), 'utf8');
  t.match(junit, /<testsuite[^>]*name="switchover"/, 'JUnit for the dashboard');
  t.same(await junitSchemaProblems(junit), [], "valid against Jenkins xUnit's JUnit schema");
  t.match(junit, /<testcase classname="scenario\.switchover\.steps" name="1\. [^"]*" time="\d+\.\d{3}"/, 'a testcase per step');
  t.ok(existsSync(path.join(artifacts, 'lab-logs')), "the lab's logs, kept before the cleanup");
  t.match(job.all, /^ {2}network /m, "the job's cleanup ran lab down, which removed the network");
  t.same(await leftovers(lab.labId), [], 'and left no container, network or volume with the lab label');
}
