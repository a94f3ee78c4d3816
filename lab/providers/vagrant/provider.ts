/**
 * The Vagrant provider: drives the generated Vagrantfile with the vagrant CLI. Nodes are reached
 * through `vagrant ssh` and through the 127.0.0.1 ports the Vagrantfile forwards, never by their
 * lab addresses, so it behaves like the Docker provider from the host's point of view.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { ExitCode, LabError, MissingToolError } from '../../errors.js';
import type { LabSpec } from '../../spec/schema.js';
import { step } from '../steps.js';
import type { BootMarker, DoctorCheck, DownResult, ExecOptions, ExecResult, HostFootprint, NodeEndpoints, Provider, UpOptions, UpResult } from '../provider.js';
import { vagrantChecks } from './doctor.js';
import { parsePorts, parseStatus, remoteCommand } from './machine-readable.js';
import { PUBLISHED_PORTS } from '../../render/ports.js';

const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** Booting and provisioning three VMs from scratch takes minutes; bound it all the same. */
const UP_TIMEOUT_MS = 45 * 60_000;

export class VagrantProvider implements Provider {
  readonly kind = 'vagrant' as const;

  constructor(
    private readonly spec: LabSpec,
    private readonly dir: string,
  ) {}

  get nodeMemoryMib(): number {
    return this.spec.vm.memory;
  }

  private vagrant(args: string[], options: { timeoutMs?: number; signal?: AbortSignal; input?: string } = {}): ResultPromise<{ reject: false }> {
    return execa('vagrant', args, {
      cwd: this.dir,
      reject: false,
      timeout: options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
      ...(options.signal ? { cancelSignal: options.signal } : {}),
      ...(options.input !== undefined ? { input: options.input } : {}),
      env: { VAGRANT_NO_COLOR: '1' },
    }) as ResultPromise<{ reject: false }>;
  }

  private async checked(args: string[], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
    const result = await this.vagrant(args, options);
    if ((result as { code?: string }).code === 'ENOENT') {
      throw new MissingToolError('vagrant', 'install Vagrant (Debian/Ubuntu: apt-get install vagrant) and VirtualBox or vagrant-libvirt, or use --provider docker');
    }
    if (result.exitCode !== 0) {
      throw new LabError(`vagrant ${args.join(' ')} failed (exit ${result.exitCode}): ${String(result.stderr).trim().split('\n').slice(-5).join('\n')}`, ExitCode.infrastructure, `see \`cd ${this.dir} && vagrant ${args[0]}\``);
    }
    return String(result.stdout);
  }

  private async states(): Promise<Map<string, string>> {
    return parseStatus(await this.checked(['status', '--machine-readable']));
  }

  async running(): Promise<string[]> {
    const states = await this.states();
    return this.spec.nodes.map((n) => n.name).filter((name) => states.get(name) === 'running');
  }

  async up(options: UpOptions = {}): Promise<UpResult> {
    const wasRunning = await this.running();
    const create = wasRunning.length < this.spec.nodes.length;
    if (!create && !options.reprovision) return { changed: false };
    // `vagrant up` provisions machines it creates; machines already up are provisioned again on request.
    const args = create ? ['up', `--provider=${this.spec.vm.provider}`] : ['provision'];
    await step(options.onStep, null, `vagrant ${args.join(' ')}`, async () => {
      const result = await execa('vagrant', args, {
        cwd: this.dir,
        reject: false,
        timeout: UP_TIMEOUT_MS,
        ...(options.signal ? { cancelSignal: options.signal } : {}),
        stdout: 'inherit',
        stderr: 'inherit',
      });
      if (result.exitCode !== 0) throw new LabError(`vagrant ${args[0]} failed (exit ${result.exitCode})`, ExitCode.infrastructure, 'read the output above; `lab down` removes the VMs');
    });
    return { changed: true };
  }

  async down(): Promise<DownResult> {
    await this.checked(['destroy', '--force'], { timeoutMs: 15 * 60_000 });
    return { removed: this.spec.nodes.map((n) => `vm ${n.name}`), kept: [] };
  }

  async exec(node: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.vagrant(['ssh', node, '-c', remoteCommand(argv), '--', '-q'], {
      timeoutMs: options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
    return { exitCode: result.exitCode ?? 124, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  async endpoints(node: string): Promise<NodeEndpoints> {
    const ports = parsePorts(await this.checked(['port', node, '--machine-readable']));
    const hostPort = (guest: number): { host: string; port: number } => {
      const port = ports.get(guest);
      if (!port) throw new LabError(`${node} forwards no host port for guest port ${guest}`, ExitCode.infrastructure, 'run `lab generate` then `vagrant reload` so the Vagrantfile forwards it');
      return { host: '127.0.0.1', port };
    };
    return { node, patroni: hostPort(PUBLISHED_PORTS.patroni), postgres: hostPort(PUBLISHED_PORTS.postgres), etcd: hostPort(PUBLISHED_PORTS.etcd) };
  }

  async crash(node: string): Promise<void> {
    // `halt --force` powers the VM off like pulling the plug: no clean shutdown of PostgreSQL.
    await this.checked(['halt', '--force', node], { timeoutMs: 120_000 });
  }

  async start(node: string): Promise<void> {
    await this.checked(['up', '--no-provision', node], { timeoutMs: 15 * 60_000 });
  }

  /** A VM suspend (VirtualBox saves its state); untested here, where VMs cannot run. */
  async pause(node: string): Promise<void> {
    if (!(await this.paused(node))) await this.checked(['suspend', node], { timeoutMs: 120_000 });
  }

  async resume(node: string): Promise<void> {
    if (await this.paused(node)) await this.checked(['resume', node], { timeoutMs: 300_000 });
  }

  async paused(node: string): Promise<boolean> {
    return ['saved', 'paused'].includes((await this.states()).get(node) ?? '');
  }

  async bootMarker(node: string): Promise<BootMarker> {
    const result = await this.exec(node, ['cat', '/proc/sys/kernel/random/boot_id'], { timeoutMs: 30_000 });
    if (result.exitCode !== 0) throw new LabError(`cannot read ${node}'s boot id: ${result.stderr.trim()}`);
    return { node, marker: result.stdout.trim() };
  }

  async shell(node: string, argv: string[] = []): Promise<number> {
    const args = ['ssh', node, ...(argv.length > 0 ? ['-c', remoteCommand(argv)] : [])];
    const result = await execa('vagrant', args, { cwd: this.dir, stdio: 'inherit', reject: false });
    return result.exitCode ?? 1;
  }

  doctor(): Promise<DoctorCheck[]> {
    return vagrantChecks(this.spec);
  }

  /** Vagrant keeps .vagrant/machines once it created a VM: without it nothing runs, and `vagrant status` (seconds) is skipped. */
  async hostFootprint(): Promise<HostFootprint> {
    if (!existsSync(path.join(this.dir, '.vagrant', 'machines'))) return { interfaces: [], runningNodes: [] };
    return { interfaces: [], runningNodes: await this.running().catch(() => []) };
  }
}
