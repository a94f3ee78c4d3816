/**
 * The Vagrant provider: drives the generated Vagrantfile with the vagrant CLI, whichever Vagrant
 * provider runs the machines (VirtualBox, libvirt, or Vagrant's docker provider). Nodes are reached
 * over the ssh endpoint Vagrant itself uses: commands, and the service ports forwarded to 127.0.0.1
 * (ssh.ts), never by lab addresses and never through `vagrant port`, which libvirt lacks. Where the
 * machines are docker containers, crash, start and the boot marker act on the container itself
 * (docker-machines.ts says why).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { machineNames, type LabSpec } from '../../spec/schema.js';
import { CONTAINER_NODE_MIB } from '../../render/containers.js';
import { ENTRY_PORTS, PUBLISHED_PORTS } from '../../render/ports.js';
import type {
  BootMarker,
  DoctorCheck,
  DownResult,
  EntryEndpoints,
  ExecOptions,
  ExecResult,
  HostFootprint,
  NodeEndpoints,
  Provider,
  UpOptions,
  UpResult,
} from '../provider.js';
import { vagrant, vagrantInteractive, vagrantWithProgress } from './cli.js';
import { CONTAINER_SCAN_RACE, CONTAINER_SCAN_RETRIES, isContainerScanRace } from './container-scan-race.js';
import { TaskFailedError } from '../tasks.js';
import { DockerMachines } from './docker-machines.js';
import { vagrantChecks } from './doctor.js';
import { parseSshConfig, parseStatus, remoteCommand } from './machine-readable.js';
import { SshLinks } from './ssh.js';
import { SshTargets } from './ssh-targets.js';
import { ExitCode, LabError } from '../../errors.js';

/** The lab's marker, in Vagrant's own directory, of a `vagrant up` or `provision` that did not finish. */
const UNFINISHED_UP = 'pgha-lab-unfinished-up';

/**
 * What `lab up` runs. `vagrant up` provisions only the machines it creates; a machine a Ctrl-C or a
 * failure left half provisioned, or a lab that runs but is unhealthy, is provisioned again
 * (provisioners are idempotent): with `--provision` when machines are missing too. Pure.
 */
export function vagrantUpArgs(vmProvider: LabSpec['vm']['provider'], create: boolean, provisionAll: boolean): string[] {
  if (!create) return ['provision'];
  return ['up', `--provider=${vmProvider}`, ...(provisionAll ? ['--provision'] : [])];
}

export class VagrantProvider implements Provider {
  readonly kind = 'vagrant' as const;
  // Vagrant's docker provider: read from the engine what `vagrant ssh-config` would say (docker-machines.ts).
  private readonly targets = new SshTargets(async () =>
    this.containers
      ? this.containers.sshTargets(machineNames(this.spec))
      : parseSshConfig(await vagrant(this.dir, ['ssh-config'])),
  );
  private readonly ssh = new SshLinks((node, stale) => this.targets.get(node, stale));
  private readonly containers?: DockerMachines;

  constructor(
    private readonly spec: LabSpec,
    private readonly dir: string,
  ) {
    if (spec.vm.provider === 'docker') this.containers = new DockerMachines(spec, dir);
  }

  /** A VM's vm.memory; a container of Vagrant's docker provider needs what a Docker provider node needs. */
  get nodeMemoryMib(): number {
    return this.containers ? CONTAINER_NODE_MIB : this.spec.vm.memory;
  }

  /** A machine's name checked: a node, or the HAProxy node (exec, crash, start and pause take it too). */
  private node(name: string): string {
    const machines = machineNames(this.spec);
    if (!machines.includes(name))
      throw new LabError(`no node named ${name}`, ExitCode.badInput, `the nodes are ${machines.join(', ')}`);
    return name;
  }

  private async states(): Promise<Map<string, string>> {
    return parseStatus(await vagrant(this.dir, ['status', '--machine-readable']));
  }

  async running(): Promise<string[]> {
    const nodes = new Set(this.spec.nodes.map((n) => n.name));
    return (await this.runningMachines()).filter((name) => nodes.has(name));
  }

  async runningEntry(): Promise<string | null> {
    const haproxy = this.spec.entry?.haproxy?.name;
    return haproxy && (await this.runningMachines()).includes(haproxy) ? haproxy : null;
  }

  /** The running machines, the HAProxy node's included. */
  private async runningMachines(): Promise<string[]> {
    const machines = machineNames(this.spec);
    if (this.containers) return this.containers.running(machines);
    const states = await this.states();
    return machines.filter((name) => states.get(name) === 'running');
  }

  /** The machines that exist, running or not: read from the engine where Vagrant's docker provider runs them (no Vagrant start-up, about 11 CPU-seconds). */
  private async createdMachines(): Promise<string[]> {
    const machines = machineNames(this.spec);
    if (this.containers) return this.containers.created(machines);
    const states = await this.states();
    return machines.filter((name) => (states.get(name) ?? 'not_created') !== 'not_created');
  }

  /** Present from the start of a `vagrant up`/`provision` until it succeeds: a Ctrl-C or a failure leaves it. */
  private get unfinishedMarker(): string {
    return path.join(this.dir, '.vagrant', UNFINISHED_UP);
  }

  async up(options: UpOptions = {}): Promise<UpResult> {
    const missing = (running: string[]): boolean => machineNames(this.spec).some((name) => !running.includes(name));
    let running = await this.runningMachines();
    const provisionAll = options.reprovision === true || existsSync(this.unfinishedMarker);
    if (!missing(running) && !provisionAll) return { changed: false };
    await mkdir(path.dirname(this.unfinishedMarker), { recursive: true });
    await writeFile(this.unfinishedMarker, '');
    try {
      for (let retry = 0; ; retry++) {
        try {
          // After a failed run every machine is provisioned again: Vagrant would not redo a half-provisioned one.
          await vagrantWithProgress(this.dir, vagrantUpArgs(this.spec.vm.provider, missing(running), retry > 0 || provisionAll), {
            signal: options.signal,
            onProgress: options.onProgress,
          });
          break;
        } catch (e) {
          if (
            retry >= CONTAINER_SCAN_RETRIES ||
            options.signal?.aborted ||
            !(e instanceof TaskFailedError && isContainerScanRace(e.output))
          )
            throw e;
          options.onProgress?.({
            node: null,
            task: `vagrant up again: Vagrant's docker provider lost its container-scan race (${CONTAINER_SCAN_RACE})`,
            status: 'start',
          });
          running = await this.runningMachines();
        }
      }
    } finally {
      // New machines, new ssh endpoints and keys.
      this.targets.forget();
      await this.ssh.close();
    }
    await rm(this.unfinishedMarker, { force: true });
    return { changed: true };
  }

  async down(): Promise<DownResult> {
    const created = await this.createdMachines().catch(() => [] as string[]);
    // In parallel where the provider allows it (docker, libvirt); what a race leaves is removed below by label.
    await vagrant(this.dir, ['destroy', '--force', '--parallel'], { timeoutMs: 15 * 60_000 });
    await this.close();
    await rm(this.unfinishedMarker, { force: true });
    const removed = created.map((name) => `machine ${name}`);
    if (!this.containers) return { removed, kept: [] };
    const leftovers = await this.containers.removeLeftovers();
    return { removed: [...removed, ...leftovers.removed], kept: leftovers.kept };
  }

  async exec(node: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return this.ssh.exec(this.node(node), argv, options);
  }

  async endpoints(node: string): Promise<NodeEndpoints> {
    const name = this.node(node);
    const at = async (guest: number) => ({ host: '127.0.0.1', port: await this.ssh.forward(name, guest) });
    const [patroni, postgres, etcd] = await Promise.all([
      at(PUBLISHED_PORTS.patroni),
      at(PUBLISHED_PORTS.postgres),
      at(PUBLISHED_PORTS.etcd),
    ]);
    return { node: name, patroni, postgres, etcd };
  }

  /** HAProxy's (and PgBouncer's) ports on the HAProxy machine, forwarded over its ssh link as a node's are. */
  async entryEndpoints(): Promise<EntryEndpoints> {
    const entry = this.spec.entry;
    if (!entry?.haproxy)
      throw new LabError('this lab has no HAProxy node', ExitCode.badInput, 'add an `entry:` section to lab.yaml, then `lab up`');
    const machine = entry.haproxy.name;
    const at = async (guest: number) => ({ host: '127.0.0.1', port: await this.ssh.forward(machine, guest) });
    const [readWrite, readOnly, stats, pgbouncer] = await Promise.all([
      at(ENTRY_PORTS.readWrite),
      at(ENTRY_PORTS.readOnly),
      at(ENTRY_PORTS.stats),
      entry.pgbouncer ? at(ENTRY_PORTS.pgbouncer) : undefined,
    ]);
    return { machine, readWrite, readOnly, stats, ...(pgbouncer ? { pgbouncer } : {}) };
  }

  async crash(node: string): Promise<void> {
    if (this.containers) return (await this.containers.container(this.node(node))).kill();
    // VirtualBox and libvirt: `halt --force` powers the VM off like pulling the plug.
    await vagrant(this.dir, ['halt', '--force', this.node(node)]);
  }

  async start(node: string): Promise<void> {
    if (this.containers) return (await this.containers.container(this.node(node))).start();
    await vagrant(this.dir, ['up', '--no-provision', this.node(node)], { timeoutMs: 15 * 60_000 });
  }

  /** The container's cgroup freezer with Vagrant's docker provider; otherwise a VM suspend (untested here, where VMs cannot run). */
  async pause(node: string): Promise<void> {
    if (this.containers) return (await this.containers.container(this.node(node))).pause();
    if (!(await this.paused(node))) await vagrant(this.dir, ['suspend', this.node(node)], { timeoutMs: 120_000 });
  }

  async resume(node: string): Promise<void> {
    if (this.containers) return (await this.containers.container(this.node(node))).resume();
    if (await this.paused(node)) await vagrant(this.dir, ['resume', this.node(node)], { timeoutMs: 300_000 });
  }

  async paused(node: string): Promise<boolean> {
    if (this.containers) return (await this.containers.container(this.node(node))).paused();
    return ['saved', 'paused'].includes((await this.states()).get(this.node(node)) ?? '');
  }

  async bootMarker(node: string): Promise<BootMarker> {
    if (this.containers) return (await this.containers.container(this.node(node))).bootMarker();
    const result = await this.exec(node, ['cat', '/proc/sys/kernel/random/boot_id'], { timeoutMs: 30_000 });
    if (result.exitCode !== 0) throw new LabError(`cannot read ${node}'s boot id: ${result.stderr.trim()}`);
    return { node, marker: result.stdout.trim() };
  }

  async shell(node: string, argv: string[] = []): Promise<number> {
    return vagrantInteractive(this.dir, ['ssh', this.node(node), ...(argv.length > 0 ? ['-c', remoteCommand(argv)] : [])]);
  }

  /** Closes the ssh connections and port forwards this provider opened. */
  async close(): Promise<void> {
    await this.ssh.close();
  }

  doctor(): Promise<DoctorCheck[]> {
    return vagrantChecks(this.spec);
  }

  /** Vagrant keeps .vagrant/machines once it created a machine: without it nothing runs, and `vagrant status` (seconds) is skipped. */
  async hostFootprint(): Promise<HostFootprint> {
    if (!existsSync(path.join(this.dir, '.vagrant', 'machines'))) return { interfaces: [], runningNodes: [] };
    const [interfaces, runningNodes] = await Promise.all([
      this.containers?.bridgeInterfaces().catch(() => []) ?? [],
      this.running().catch(() => []),
    ]);
    return { interfaces, runningNodes };
  }
}
