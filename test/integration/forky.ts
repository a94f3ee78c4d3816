/**
 * The lab on Debian forky (testing): `lab image base --suite forky`'s base, built here when absent as
 * on a cold CI machine, with forky's own PostgreSQL 18 and Patroni 4.1.5. Patroni runs under its
 * package's unit, whose Type=notify the lab's drop-in keeps on the Docker provider: systemd, not the
 * unit file alone, must say notify. Then a failover and the watchdog, each check passing, and `lab
 * down` leaving nothing. Run by docker-then-scenarios.test.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { createTestLab, leftovers, requireEngine, requireLocalBase, runLab } from './docker-harness.js';

interface ScenarioReport {
  verdict: string;
  checks: { name: string; status: string; summary: string }[];
}

t.test(
  'a lab on Debian forky: PostgreSQL 18, Patroni 4.1 under its own Type=notify unit, a failover and the watchdog',
  async (t) => {
    await requireEngine();
    let phase = Date.now();
    const took = (what: string): void => {
      t.comment(`${what}: ${((Date.now() - phase) / 1000).toFixed(1)} s`);
      phase = Date.now();
    };
    await requireLocalBase('forky');
    took('forky base image (built when absent)');
    const lab = await createTestLab('forky-lab.yaml');
    t.teardown(() => lab.destroy());

    const up = await runLab(lab, ['up'], 900_000);
    took('lab up (the node image built when absent)');
    t.equal(up.exitCode, 0, `lab up on forky: ${up.exitCode === 0 ? 'ok' : up.stdout.slice(-3000) + up.stderr}`);
    if (up.exitCode !== 0) return;

    for (const node of lab.ctx.spec.nodes) {
      const version = await runLab(lab, ['psql', node.name, '--', '-Atc', 'show server_version_num']);
      t.ok(
        Number(version.stdout.trim()) >= 180_000,
        `${node.name}: server_version_num ${version.stdout.trim()} >= 180000 ${version.stderr}`,
      );
      const patroni = await runLab(lab, ['exec', node.name, '--', 'patroni', '--version']);
      t.match(patroni.stdout, /^patroni 4\.1\.\d+/m, `${node.name}: Patroni 4.1.x (${patroni.stdout.trim()}) ${patroni.stderr}`);
      const unit = await runLab(lab, [
        'exec',
        node.name,
        '--',
        'systemctl',
        'show',
        '--property=Type,ActiveState,DropInPaths',
        'patroni.service',
      ]);
      t.match(unit.stdout, /^Type=notify$/m, `${node.name}: systemd runs Patroni as Type=notify\n${unit.stdout}${unit.stderr}`);
      t.match(unit.stdout, /^ActiveState=active$/m, `${node.name}: and it is active (it notified READY=1)`);
      t.match(unit.stdout, /10-lab-config\.conf/, `${node.name}: through the lab's drop-in`);
    }
    took('versions and the unit checked');

    for (const scenario of ['failover', 'watchdog']) {
      const report = path.join(lab.work, `${scenario}.json`);
      const run = await runLab(lab, ['scenario', scenario, '--json', report], 600_000);
      took(`scenario ${scenario}`);
      t.equal(
        run.exitCode,
        0,
        `lab scenario ${scenario}: ${run.exitCode === 0 ? 'passed' : run.stdout.slice(-3000) + run.stderr}`,
      );
      const result = JSON.parse(await readFile(report, 'utf8')) as ScenarioReport;
      for (const c of result.checks) t.equal(c.status, 'pass', `${scenario}: ${c.name}: ${c.summary}`);
      t.equal(result.verdict, 'pass', `${scenario}: verdict`);
    }

    const down = await runLab(lab, ['down']);
    took('lab down');
    t.equal(down.exitCode, 0, `lab down: ${down.stderr}`);
    t.same(await leftovers(lab.labId), [], 'nothing of the lab left on the engine');
  },
);
