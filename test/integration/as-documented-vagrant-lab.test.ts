/**
 * The generated Vagrantfile brought up through `lab up` with the Vagrant provider: a parallel
 * `vagrant up` (libvirt's and docker's order), its progress read from `vagrant --machine-readable`.
 * A Ctrl-C while a machine is provisioned leaves a labelled partial lab that the next `lab up`
 * completes; then the failover and watchdog scenarios through the Vagrant provider, and `lab down`
 * leaving no container, network or image of the lab. VirtualBox's order is
 * as-documented-vagrant-up.test.ts, on a lab of its own, which tap runs beside this one.
 * Named so that tap, which starts files in name order, starts this one, the longest, first.
 */
import t from 'tap';
import { ExitCode } from '../../lab/errors.js';
import { lastLines, vagrantLab } from './vagrant-harness.js';

/** Progress lines of `lab up` once a machine's provisioner has started. */
const PROVISIONING = /\]\s+node\d+\s+\d\d-[a-z]+ \.\.\./;

t.test('lab up (a parallel vagrant up) stopped by Ctrl-C, then finished; failover and watchdog through the Vagrant provider; lab down', { timeout: 1_500_000 }, async (t) => {
  const { ctx, lab, leftovers, took } = await vagrantLab(t, 'vagrant-lab-vp.yaml');

  const interrupted = lab(['up'], 600_000);
  const provisioning = await new Promise<boolean>((resolve) => {
    let said = '';
    interrupted.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (PROVISIONING.test(said)) resolve(true);
    });
    void interrupted.then(() => resolve(false));
  });
  t.ok(provisioning, 'lab up shows a machine being provisioned before the Ctrl-C');
  interrupted.kill('SIGINT');
  const stopped = await interrupted;
  took('lab up, Ctrl-C while provisioning');
  t.equal(stopped.exitCode, ExitCode.interrupted, `Ctrl-C: lab up exits ${ExitCode.interrupted}\n${stopped.exitCode === ExitCode.interrupted ? '' : `${lastLines(stopped.stdout)}\n${stopped.stderr}`}`);
  t.match(stopped.stderr, /lab up was interrupted/, 'and says so');
  t.not((await leftovers()).length, 0, 'the partial lab exists, labelled, for the next lab up or lab down');

  const up = await lab(['up'], 1_200_000);
  took('lab up (vagrant up, parallel)');
  t.equal(up.exitCode, 0, `lab up (a parallel vagrant up) succeeds\n${up.exitCode === 0 ? '' : `${lastLines(up.stdout)}\n${up.stderr}`}`);
  for (const node of ctx.spec.nodes) t.match(up.stdout, new RegExp(`${node.name}\\s+40-patroni ok`), `progress shows ${node.name}'s provisioners, from vagrant --machine-readable`);
  t.match(up.stdout, /is up and healthy/, 'and lab up waited for a healthy lab');

  for (const scenario of ['failover', 'watchdog']) {
    const run = await lab(['scenario', scenario], 600_000);
    took(`lab scenario ${scenario}`);
    t.equal(run.exitCode, 0, `lab scenario ${scenario} passes through the Vagrant provider\n${run.exitCode === 0 ? '' : `${lastLines(run.stdout, 60)}\n${run.stderr}`}`);
    t.match(run.stdout, new RegExp(`scenario ${scenario}: PASS`));
  }

  const down = await lab(['down'], 900_000);
  took('lab down');
  t.equal(down.exitCode, 0, `lab down succeeds: ${down.stderr}`);
  t.same(await leftovers(), [], 'lab down leaves no container, image or network of the lab');
});
