/**
 * `lab workshop` for real, on two engines of this machine (the second started here by
 * scripts/engine2.sh, reached over TCP with TLS, and stopped by its own pid): three seats at stage packages (the cheapest stage
 * that still has everything to show), then isolation across and within engines, an ssh login
 * through a seat's published port with its credentials, every exercise of the seat's handout done
 * through that login as an attendee would (test/integration/attendee.ts), each turning its checkpoint on, a reset, and a down that leaves nothing labelled on either engine. First, a
 * `workshop up` stopped by SIGINT part-way, which the next `up` finishes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ExitCode } from '../../lab/errors.js';
import { dockerClient } from '../../lab/providers/docker/client.js';
import { CHECKPOINTS } from '../../lab/workshop/checkpoints.js';
import { workshopFromDir } from '../../lab/workshop/directory.js';
import { labelledSeatObjects } from '../../lab/workshop/down.js';
import { seatExercises } from '../../lab/workshop/exercises.js';
import { findSeat } from '../../lab/workshop/plan.js';
import { seatSpec } from '../../lab/workshop/seat.js';
import type { WorkshopStatus } from '../../lab/workshop/status.js';
import { requireTools, ROOT, runLab } from '../helpers.js';
import { playExercises } from './attendee.js';
import { docker, requireEngine } from './docker-harness.js';

const ENGINE2 = path.join(ROOT, 'scripts/engine2.sh');
const NAME = 'wsci';
const LAB = {
  docker: { baseImage: 'pgha-lab/base:trixie' },
  postgres: { version: 17, packageSource: 'distro' },
  patroni: { ttl: 20, loopWait: 2, retryTimeout: 5 },
};

t.test(
  'a workshop of 3 seats across two engines',
  requireTools('sshpass', 'ssh', 'iptables', 'ip', 'dockerd', 'openssl'),
  async (t) => {
    await requireEngine();
    const engine2 = (await execa('bash', [ENGINE2, 'start'], { timeout: 60_000 })).stdout.trim();
    const docker2 = dockerClient({ socketPath: engine2.replace('unix://', '') });
    // The workshop reaches engine two as a remote engine is reached: over TCP, with TLS and a client certificate.
    const [engine2Tcp, engine2Certs] = (await execa('bash', [ENGINE2, 'tcp'], { timeout: 10_000 })).stdout.trim().split(' ') as [
      string,
      string,
    ];
    const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-ws-'));
    const file = path.join(work, 'workshop.yaml');
    const dir = path.join(work, 'ws');
    const workshop = (args: string[], timeoutMs = 600_000) => runLab(['workshop', '-w', file, '-d', dir, ...args], { timeoutMs });
    const status = async (): Promise<WorkshopStatus> =>
      JSON.parse((await workshop(['status', '--json'], 120_000)).stdout) as WorkshopStatus;
    const seat = (s: WorkshopStatus, id: string) => s.seats.find((x) => x.seat === id)!;
    t.teardown(async () => {
      await workshop(['down'], 300_000);
      await execa('bash', [ENGINE2, 'stop'], { timeout: 60_000, reject: false });
      await rm(work, { recursive: true, force: true });
    });
    // The trainer's first command (README, "Quick start: a trainer"): the sample's lab and stage are
    // what the class runs; the test names its own workshop, addresses, ports and the two engines.
    const init = await workshop(['init']);
    t.equal(init.exitCode, 0, `workshop init: ${init.stderr}`);
    const sample = parseYaml(await readFile(file, 'utf8')) as Record<string, unknown>;
    t.same([sample.lab, sample.stage, sample.seats], [LAB, 'packages', 3], "init's sample: the lab and stage this test runs");
    await writeFile(
      file,
      stringifyYaml({
        ...sample,
        name: NAME,
        pool: '10.100.0.0/16',
        sshPortBase: 2240,
        engines: [
          { name: 'one', memoryMiB: 1000 },
          { name: 'two', host: engine2Tcp, tlsCertPath: engine2Certs, memoryMiB: 1000 },
        ],
      }),
    );

    // What an interrupted earlier run left of this workshop (found by label on both engines) would
    // hold its ports and addresses: gone first.
    t.equal((await workshop(['down'], 300_000)).exitCode, 0, 'a down before the first up succeeds');

    // The trainer prints the handouts the day before: from workshop.yaml, with the passwords the seats will have.
    const early = await workshop(['handout', '--out', path.join(dir, 'early-handouts')]);
    t.equal(early.exitCode, 0, `handout before up: ${early.stderr}`);
    const earlyPage = await readFile(path.join(dir, 'early-handouts', 's02.md'), 'utf8');

    // Ctrl-C while the seats' containers are being created: exit 130, naming the command that removes
    // what was made; what exists is labelled, the next `up` finishes it, and the last `down` removes it.
    const interrupted = workshop(['up']);
    let progress = '';
    let sent = false;
    interrupted.stdout?.on('data', (chunk: Buffer) => {
      progress += chunk.toString();
      if (!sent && /node1: container \.\.\./.test(progress)) {
        sent = true;
        interrupted.kill('SIGINT');
      }
    });
    const stopped = await interrupted;
    t.ok(sent, 'SIGINT was sent while seats were being created');
    t.equal(stopped.exitCode, ExitCode.interrupted, `workshop up exits ${ExitCode.interrupted}: ${stopped.stderr}`);
    t.match(
      stopped.stderr,
      /lab workshop up was interrupted; run `lab workshop down`/,
      'and names the command that removes what was created',
    );
    t.not(
      [...(await labelledSeatObjects(docker, NAME)), ...(await labelledSeatObjects(docker2, NAME))].length,
      0,
      'what was created is labelled with its seat',
    );

    const up = await workshop(['up']);
    t.equal(up.exitCode, 0, `workshop up: ${up.stdout.slice(-2000)}${up.stderr}`);
    if (up.exitCode !== 0) return;
    const before = await status();
    t.same(before.isolation, [], 'status finds every isolation rule');
    t.same(
      before.seats.map((s) => [s.seat, s.engine, s.running]),
      [
        ['s01', 'one', 3],
        ['s02', 'two', 3],
        ['s03', 'one', 3],
      ],
      'seats placed on both engines, every node running',
    );

    // Isolation, from s01's node1 (engine one): its own node answers; s02's node1 (engine two) and
    // s03's (engine one) have sshd listening too, and neither can be reached.
    const s01node1 = (await docker.listContainers({ filters: { label: ['pgha-lab.node=node1'], name: [`${NAME}-s01-`] } }))[0]!;
    const dial = async (ip: string) => {
      const exec = await execa('docker', ['exec', s01node1.Id, 'timeout', '3', 'bash', '-c', `</dev/tcp/${ip}/22`], {
        reject: false,
        timeout: 30_000,
      });
      return exec.exitCode;
    };
    t.equal(await dial('10.100.1.12'), 0, 's01 node1 reaches s01 node2 (its own seat)');
    const s02 = (await docker2.listContainers({ filters: { label: ['pgha-lab.node=node1'], name: [`${NAME}-s02-`] } }))[0];
    t.ok(s02, "s02's node1 runs on engine two");
    t.not(await dial('10.100.2.11'), 0, 's01 node1 cannot reach s02 node1 (the other engine)');
    t.not(await dial('10.100.3.11'), 0, 's01 node1 cannot reach s03 node1 (the same engine)');

    // The attendee of s02: ssh through the published port with the seat's password, node names
    // resolve, and an exercise (etcd on the three nodes) moves the seat to its first checkpoint.
    const { password } = JSON.parse(await readFile(path.join(dir, 'seats/s02/seat.json'), 'utf8')) as { password: string };
    t.ok(earlyPage.includes(password), "s02's login password is the one its handout printed before up");
    const ssh = (command: string, input?: string) =>
      execa(
        'sshpass',
        [
          '-e',
          'ssh',
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'LogLevel=ERROR',
          '-o',
          'ConnectTimeout=10',
          '-p',
          String(before.seats[1]!.ssh.split(':')[1]),
          'root@127.0.0.1',
          command,
        ],
        {
          env: { SSHPASS: password },
          reject: false,
          timeout: 180_000,
          ...(input !== undefined ? { input } : {}),
        },
      );
    const login = await ssh('hostname; ssh node3 hostname');
    t.equal(login.stdout.trim(), 'node1\nnode3', `ssh lands on node1 and reaches node3 by name (${login.stderr})`);

    // The attendee of s02 does every exercise of the handout, as the page gives it, and each turns its checkpoint on.
    const ws = await workshopFromDir(file, dir);
    const s02Plan = findSeat(ws.plan, 's02')!;
    const exercises = seatExercises(ws.spec.stage, seatSpec(ws.spec, s02Plan));
    t.same(
      exercises.map((e) => e.id),
      ['etcd', 'watchdog', 'patroni', 'failover'],
      'stage packages leaves every exercise to the attendee',
    );
    await playExercises(t, exercises, {
      first: 'node1',
      ssh,
      checkpoints: async () => seat(await status(), 's02').checkpoints,
    });
    const after = await status();
    t.same(seat(after, 's02').checkpoints, [...CHECKPOINTS], 's02 reached every checkpoint');
    t.same(seat(after, 's01').checkpoints, [], 's01 did not');

    const refused = await workshop(['reset', 's02']);
    t.equal(refused.exitCode, 3, 'reset with no terminal to ask and no --yes is refused');
    t.match(refused.stderr, /reset s02 --yes/, 'naming --yes');
    const reset = await workshop(['reset', 's02', '--yes'], 300_000);
    t.equal(reset.exitCode, 0, `reset s02: ${reset.stdout.slice(-1000)}${reset.stderr}`);
    const afterReset = await status();
    t.same(
      [seat(afterReset, 's02').running, seat(afterReset, 's02').checkpoints],
      [3, []],
      's02 is back at stage packages: running, no checkpoint',
    );
    t.equal((await ssh('hostname')).stdout.trim(), 'node1', 'and the same login works after the reset');

    const down = await workshop(['down'], 300_000);
    t.equal(down.exitCode, 0, `down: ${down.stderr}`);
    t.same(await labelledSeatObjects(docker, NAME), [], 'nothing of the seats left on engine one');
    t.same(await labelledSeatObjects(docker2, NAME), [], 'nothing of the seats left on engine two');
    const chains = await execa('iptables', ['-w', '10', '-S', 'DOCKER-USER'], { timeout: 30_000 });
    t.notMatch(chains.stdout, `PGHA-WS-${NAME}`, 'the isolation chain is gone');
  },
);
