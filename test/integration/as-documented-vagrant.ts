/**
 * The generated Vagrantfile, run by Vagrant itself with its docker provider, as the README tells a DBA
 * to run it, in VirtualBox's order: `vagrant up --no-parallel` (each node fully provisioned before the
 * next exists). On the machines it made: both forms of etcd's and Patroni's units start the same lab
 * (unit-forms.ts), `lab status` through the Vagrant provider says healthy; then this is CI's
 * synchronous lab: failover, partition and watchdog through the Vagrant provider, none may lose an
 * acknowledged write, and a seeded chaos run; `lab down` leaves no container, network or image of the
 * lab. Run by workshop-then-vagrant.test.ts.
 */
import t, { type Test } from 'tap';
import { LabAccess } from '../../lab/cluster/access.js';
import { labHealthy, waitFor } from '../../lab/cluster/readiness.js';
import type { EntryStatus } from '../../lab/commands/status-report.js';
import type { LabContext } from '../../lab/labdir/context.js';
import { labFilter } from '../../lab/providers/docker/naming.js';
import { vagrant as vagrantCli } from '../../lab/providers/vagrant/cli.js';
import { DockerMachines } from '../../lab/providers/vagrant/docker-machines.js';
import { parseSshConfig } from '../../lab/providers/vagrant/machine-readable.js';
import { VagrantProvider } from '../../lab/providers/vagrant/provider.js';
import { UNITS } from '../../lab/render/node-layout.js';
import { machineNames } from '../../lab/spec/schema.js';
import { docker } from './docker-harness.js';
import { installPerconaForm, sh, THROUGH_DROP_INS as LAB, unitOf } from './unit-forms.js';
import { suiteOnLab } from './scenario-suite.js';
import { lastLines, vagrant, vagrantLab } from './vagrant-harness.js';

/**
 * The lab came up with Debian's units; each node in turn is switched to the Percona packaging's form
 * (etcd `--config-file`, Patroni 4.1 Type=notify) and its etcd and Patroni restarted, and the lab must
 * be healthy again after each: the lab's drop-ins decide how both start, whichever unit is installed.
 */
async function bothUnitForms(t: Test, ctx: LabContext): Promise<void> {
  const provider = new VagrantProvider(ctx.spec, ctx.dir);
  const access = await LabAccess.forLab(provider, ctx.dir);
  try {
    const nodes = ctx.spec.nodes.map((n) => n.name);
    const config = ctx.spec.patroni.configPath;
    const debian = await waitFor(labHealthy(access, ctx.spec, 180_000));
    t.ok(debian.healthy, "healthy with Debian's units");
    t.same([...(debian.etcdMembers ?? [])].sort(), nodes, 'every node is a member of one etcd cluster');
    for (const node of nodes) {
      const etcd = await unitOf(provider, node, UNITS.etcd);
      t.match(etcd.FragmentPath, /^\/(usr\/)?lib\/systemd\/system\/etcd\.service$/, `${node}: etcd runs Debian's unit`);
      t.match(etcd.DropInPaths, LAB.dropIn(UNITS.etcd), `${node}: with the lab's drop-in`);
      t.match(etcd.ExecStart, LAB.etcdExecStart, `${node}: etcd runs as the drop-in says, without arguments`);
      t.equal(etcd.Running, LAB.etcdRunning, `${node}: and so it runs`);
      t.equal(etcd.EnvironmentFiles, LAB.etcdEnvironmentFiles, `${node}: reading only the lab's environment file`);
      const patroni = await unitOf(provider, node, UNITS.patroni);
      t.equal(patroni.Type, 'simple', `${node}: Patroni is Type=simple`);
      t.match(patroni.ExecStart, LAB.patroniExecStart(config), `${node}: with the lab's configuration`);
      t.match(patroni.Running, LAB.patroniRunning(config), `${node}: and so it runs`);
    }

    let percona = debian;
    for (const node of nodes) {
      await installPerconaForm(provider, node);
      // etcd's unit is Type=notify: restart returns once the member has rejoined.
      await sh(provider, node, `systemctl restart ${UNITS.etcd} && systemctl restart ${UNITS.patroni}`);
      percona = await waitFor(labHealthy(access, ctx.spec, 180_000));
      t.ok(percona.healthy, `healthy again once ${node} runs the Percona packaging's units`);
    }
    t.same([...(percona.etcdMembers ?? [])].sort(), nodes, 'one etcd cluster of every node, not a lone etcd per node');
    for (const node of nodes) {
      const etcd = await unitOf(provider, node, UNITS.etcd);
      t.equal(etcd.FragmentPath, `/etc/systemd/system/${UNITS.etcd}`, `${node}: etcd runs the Percona form's unit`);
      t.match(etcd.DropInPaths, LAB.dropIn(UNITS.etcd), `${node}: with the lab's drop-in`);
      t.match(etcd.ExecStart, LAB.etcdExecStart, `${node}: which replaces \`etcd --config-file\``);
      t.equal(etcd.Running, LAB.etcdRunning, `${node}: and so it runs, restarted`);
      t.equal(etcd.EnvironmentFiles, LAB.etcdEnvironmentFiles, `${node}: reading the lab's environment file`);
      const patroni = await unitOf(provider, node, UNITS.patroni);
      t.equal(patroni.FragmentPath, `/etc/systemd/system/${UNITS.patroni}`, `${node}: Patroni runs the 4.1 unit`);
      t.match(patroni.DropInPaths, LAB.dropIn(UNITS.patroni), `${node}: with the lab's drop-in`);
      t.equal(patroni.Type, 'simple', `${node}: as Type=simple, not notify`);
      t.match(
        patroni.ExecStart,
        LAB.patroniExecStart(config),
        `${node}: with the lab's configuration, not /etc/patroni/patroni.yml`,
      );
      t.match(patroni.Running, LAB.patroniRunning(config), `${node}: and so it runs, restarted`);
    }
  } finally {
    await access.close();
    await provider.close();
  }
}

t.test(
  'vagrant up --no-parallel of the generated Vagrantfile; both unit forms; lab status; the synchronous suite through the Vagrant provider; lab down',
  { timeout: 1_500_000 },
  async (t) => {
    const { ctx, location, lab, leftovers, took } = await vagrantLab(t, 'vagrant-lab-vg.yaml');
    const dir = ctx.dir;
    const labId = await new DockerMachines(ctx.spec, dir, docker).labId();

    // VirtualBox's order. No node waits for a node defined after it; the last one waits for the cluster.
    const sequential = await vagrant(dir, ['up', '--no-parallel'], 1_200_000);
    took('vagrant up --no-parallel');
    t.equal(
      sequential.exitCode,
      0,
      `vagrant up --no-parallel succeeds\n${sequential.exitCode === 0 ? '' : lastLines(sequential.all)}`,
    );
    if (sequential.exitCode !== 0) return;
    t.match(
      sequential.all,
      /\[node1\] patroni: not waiting for Patroni: etcd's cluster version is not decided/,
      'node1 does not wait for a Patroni that cannot reach etcd yet',
    );
    t.match(
      sequential.all,
      /\[node3\] patroni: the cluster: 3 members, one leader, every replica running: ok/,
      'node3, the last, waits until the whole cluster runs',
    );
    const created = await docker.listContainers({ filters: labFilter(labId) });
    // What lab reads from the engine instead of starting Vagrant is what Vagrant itself says.
    t.same(
      Object.fromEntries(await new DockerMachines(ctx.spec, dir, docker).sshTargets(machineNames(ctx.spec))),
      Object.fromEntries(parseSshConfig(await vagrantCli(dir, ['ssh-config']))),
      "every machine's ssh target read from its container agrees with `vagrant ssh-config`",
    );
    t.equal(
      created.length,
      machineNames(ctx.spec).length,
      "every machine's container, the HAProxy machine's too, carries the lab id the provider computes (the Vagrantfile's label agrees)",
    );

    // The waits of bothUnitForms first, then `lab status`'s one judgement: on a loaded host a probe
    // through a fresh ssh forward can miss its bound just after vagrant up.
    await bothUnitForms(t, ctx).finally(async () => {
      // Whether a machine was reset meanwhile (the emulated watchdog resets a node whose Patroni stalls).
      for (const c of await docker.listContainers({ all: true, filters: labFilter(labId) })) {
        const state = (await docker.getContainer(c.Id).inspect()).State;
        t.comment(`${c.Names.join(',')}: ${state.Status}, started ${state.StartedAt}`);
      }
    });
    took("both unit forms: Debian's, then Percona packaging's node by node");

    const status = await lab(['status', '--json']);
    took('lab status');
    t.equal(
      status.exitCode,
      0,
      `lab status through the Vagrant provider exits 0 on the lab vagrant up made, its units switched: ${status.stderr}${status.exitCode === 0 ? '' : status.stdout}`,
    );
    const seen = JSON.parse(status.stdout || '{}') as { healthy?: boolean; leader?: string; entry?: EntryStatus | null };
    t.equal(seen.healthy, true, 'lab status --json says healthy');
    // The HAProxy machine's listeners, read from its stats through its ssh forward: writes go to the leader alone.
    const readWrite = seen.entry?.servers.filter((s) => s.proxy === 'primary' && s.status === 'UP').map((s) => s.server);
    t.same(
      readWrite,
      [seen.leader ?? '(no leader)'],
      `HAProxy's read-write listener has the leader, and only it, UP (${seen.entry?.problem ?? 'stats read'})`,
    );
    t.same(
      seen.entry?.paths.map((p) => p.name).sort(),
      ['haproxy-ro', 'haproxy-rw', 'libpq', 'pgbouncer'],
      'and lab status lists the four entry paths',
    );

    // In the test's process, through the Vagrant provider, on the lab as it is: lab up's look finds it
    // healthy and changes nothing. The suite takes the lab down at the end.
    // With the HAProxy machine's clients and libpq multi-host's through every scenario (entryPaths).
    await suiteOnLab(t, location, {
      lab: ctx.spec.name,
      scenarios: ['failover', 'partition', 'watchdog'],
      lossless: true,
      entryPaths: true,
      chaos: { seed: 1, duration: '3m', quiet: '30s' },
    });
    took('failover, partition, watchdog and 3 minutes of chaos through the Vagrant provider, then lab down');
    t.same(await leftovers(), [], 'lab down leaves no container, image or network of the lab');
  },
);
