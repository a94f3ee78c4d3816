/**
 * The generated Vagrantfile in Vagrant's parallel order (libvirt's and docker's; VirtualBox's one-by-one
 * order is as-documented-vagrant.ts's), through `lab up`: a parallel `vagrant up` with its progress
 * from `vagrant --machine-readable`, stopped by Ctrl-C once a machine is being provisioned (exit 130,
 * the partial lab labelled), finished by the next `lab up` to a healthy lab, and removed by `lab down`,
 * leaving nothing. Its etcd starts one member at a time (`member add` before each new member starts),
 * the document's bootstrap, in parallel. Run by docker.ts as the second lab beside its own.
 */
import type { Test } from 'tap';
import { ExitCode } from '../../lab/errors.js';
import { lastLines, vagrantLab } from './vagrant-harness.js';

/** Progress lines of `lab up` once a machine's provisioner has started. */
const PROVISIONING = /\]\s+node\d+\s+\d\d-[a-z]+ \.\.\./;

export async function vagrantParallel(t: Test): Promise<void> {
  const { ctx, lab, leftovers, took } = await vagrantLab(t, 'vagrant-lab-vgp.yaml');

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
  t.equal(
    stopped.exitCode,
    ExitCode.interrupted,
    `Ctrl-C: lab up exits ${ExitCode.interrupted}\n${stopped.exitCode === ExitCode.interrupted ? '' : `${lastLines(stopped.stdout)}\n${stopped.stderr}`}`,
  );
  t.match(stopped.stderr, /lab up was interrupted/, 'and says so');
  t.not((await leftovers()).length, 0, 'the partial lab exists, labelled, for the next lab up or lab down');

  const up = await lab(['up'], 1_200_000);
  took('lab up (vagrant up, parallel)');
  // Its lab-wide lines (a run of vagrant up again after Vagrant's container-scan race, the wait for health): CI's log is all a landing run leaves.
  t.comment(
    up.stdout
      .split('\n')
      .filter((l) => /^\[ *[0-9.]+ s\] lab /.test(l))
      .join('\n'),
  );
  t.equal(
    up.exitCode,
    0,
    `lab up (a parallel vagrant up) finishes the lab\n${up.exitCode === 0 ? '' : `${lastLines(up.stdout)}\n${up.stderr}`}`,
  );
  for (const node of ctx.spec.nodes)
    t.match(
      up.stdout,
      new RegExp(`${node.name}\\s+40-patroni ok`),
      `progress shows ${node.name}'s provisioners, from vagrant --machine-readable`,
    );
  t.match(up.stdout, /is up and healthy/, 'and lab up waited for a healthy lab');

  const down = await lab(['down'], 900_000);
  took('lab down');
  t.equal(down.exitCode, 0, `lab down succeeds: ${down.stderr}`);
  t.same(await leftovers(), [], 'lab down leaves no container, image or network of the lab');
}
