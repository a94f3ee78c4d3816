/**
 * The Docker provider: the generated lab run as one systemd container per node on a bridge network
 * at the lab's addresses. Every object carries the lab's label; state.json (written before anything
 * is created) holds the lab id, so `down` works after a crash, a Ctrl-C or an edited lab.yaml.
 */
import type Docker from 'dockerode';
import type { LabContext } from '../../labdir/context.js';
import { ExitCode, LabError } from '../../errors.js';
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
import { assertEngine, describeError, dockerClient } from './client.js';
import { entryPorts, publishedPort, type NodeService } from './container-spec.js';
import { dockerChecks } from './doctor.js';
import { dockerExec } from './exec.js';
import { containerName, labIdFor, labSelector, type DockerLabOptions } from './naming.js';
import { CONTAINER_NODE_MIB } from '../../render/containers.js';
import { machineNames } from '../../spec/schema.js';
import { NodeContainer } from './node-container.js';
import { bridgeInterfaces, runningEntry, runningNodes } from './objects.js';
import { reap } from './reaper.js';
import { interactiveExec } from './shell.js';
import { ensureState, readState } from './state.js';
import { upDockerLab } from './up.js';

export class DockerProvider implements Provider {
  readonly kind = 'docker' as const;
  readonly nodeMemoryMib = CONTAINER_NODE_MIB;
  /** One ping per provider: a missing engine is reported with its fix, not as a socket error. */
  private engineChecked?: Promise<void>;

  constructor(
    private readonly ctx: LabContext,
    private readonly docker: Docker = dockerClient(),
    /** How the nodes are made when not the plain `lab up` way (a workshop seat). */
    private readonly options: DockerLabOptions = {},
  ) {}

  private engine(): Promise<void> {
    this.engineChecked ??= assertEngine(this.docker);
    return this.engineChecked;
  }

  private id?: Promise<string>;

  /** The lab id from state.json (read once: scenarios exec often); computed the same way when the lab was never started. */
  labId(): Promise<string> {
    this.id ??= readState(this.ctx.dir).then((state) => state?.labId ?? labIdFor(this.ctx.spec.name, this.ctx.dir));
    return this.id;
  }

  async up(options: UpOptions = {}): Promise<UpResult> {
    const state = await ensureState(this.ctx.dir, this.ctx.spec.name);
    return upDockerLab(
      { ...this.options, docker: this.docker, spec: this.ctx.spec, dir: this.ctx.dir, labId: state.labId },
      state,
      options,
    );
  }

  /** Every object labelled with the lab; its images too when asked (one another lab runs on stays, with the reason). */
  async down(options: { images?: boolean } = {}): Promise<DownResult> {
    await this.engine();
    return reap(this.docker, labSelector(await this.labId()), [
      'container',
      'network',
      'volume',
      ...(options.images ? (['image'] as const) : []),
    ]);
  }

  /** The node's container, its name checked against the lab's machines. */
  private async container(node: string): Promise<NodeContainer> {
    const machines = machineNames(this.ctx.spec);
    if (!machines.includes(node)) {
      throw new LabError(`no node named ${node}`, ExitCode.badInput, `the nodes are ${machines.join(', ')}`);
    }
    await this.engine();
    return new NodeContainer(this.docker, node, containerName(await this.labId(), node), 'start the lab with `lab up`');
  }

  private async inspect(node: string): Promise<Docker.ContainerInspectInfo> {
    return (await this.container(node)).inspect();
  }

  private async runningContainer(node: string): Promise<Docker.Container> {
    const info = await this.inspect(node);
    if (!info.State.Running)
      throw new LabError(`node ${node} is not running (${info.State.Status})`, undefined, `start it with \`lab up\``);
    return this.docker.getContainer(info.Id);
  }

  async exec(node: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return dockerExec(await this.runningContainer(node), argv, options);
  }

  async endpoints(node: string): Promise<NodeEndpoints> {
    const info = await this.inspect(node);
    const at = (service: NodeService): { host: string; port: number } => {
      const port = publishedPort(info, service);
      if (port === undefined) throw new LabError(`node ${node} publishes no ${service} port (is it running?)`);
      return { host: '127.0.0.1', port };
    };
    return { node, patroni: at('patroni'), postgres: at('postgres'), etcd: at('etcd') };
  }

  async entryEndpoints(): Promise<EntryEndpoints> {
    const entry = this.ctx.spec.entry;
    if (!entry?.haproxy)
      throw new LabError('this lab has no HAProxy node', ExitCode.badInput, 'add an `entry:` section to lab.yaml, then `lab up`');
    const machine = entry.haproxy.name;
    const info = await this.inspect(machine);
    const ports = entryPorts(entry);
    const at = (port: number): { host: string; port: number } => {
      const host = publishedPort(info, port);
      if (host === undefined)
        throw new LabError(
          `the HAProxy node ${machine} publishes no port for ${port} (is it running?)`,
          ExitCode.infrastructure,
          'start it with `lab up`',
        );
      return { host: '127.0.0.1', port: host };
    };
    return {
      machine,
      readWrite: at(ports.readWrite!),
      readOnly: at(ports.readOnly!),
      stats: at(ports.stats!),
      ...(ports.pgbouncer ? { pgbouncer: at(ports.pgbouncer) } : {}),
    };
  }

  async running(): Promise<string[]> {
    await this.engine();
    return runningNodes(this.docker, await this.labId());
  }

  async runningEntry(): Promise<string | null> {
    if (!this.ctx.spec.entry?.haproxy) return null;
    await this.engine();
    return (await runningEntry(this.docker, await this.labId())) ?? null;
  }

  // The fault primitives that act on the machine: its container's (node-container.ts), as with Vagrant's docker provider.
  readonly crash = async (node: string): Promise<void> => (await this.container(node)).kill();
  readonly start = async (node: string): Promise<void> => (await this.container(node)).start();
  readonly pause = async (node: string): Promise<void> => (await this.container(node)).pause();
  readonly resume = async (node: string): Promise<void> => (await this.container(node)).resume();
  readonly paused = async (node: string): Promise<boolean> => (await this.container(node)).paused();
  readonly bootMarker = async (node: string): Promise<BootMarker> => (await this.container(node)).bootMarker();

  async shell(node: string, argv: string[] = ['bash', '-l']): Promise<number> {
    return interactiveExec(await this.runningContainer(node), argv);
  }

  async doctor(): Promise<DoctorCheck[]> {
    try {
      return await dockerChecks(this.docker, this.ctx.spec);
    } catch (e) {
      return [
        {
          area: 'docker',
          ok: false,
          what: `the Docker engine failed a check: ${describeError(e)}`,
          fix: 'check the engine with `docker info`',
        },
      ];
    }
  }

  async hostFootprint(): Promise<HostFootprint> {
    try {
      await this.engine();
      const labId = await this.labId();
      const [interfaces, running] = await Promise.all([bridgeInterfaces(this.docker, labId), runningNodes(this.docker, labId)]);
      return { interfaces, runningNodes: running };
    } catch {
      return { interfaces: [], runningNodes: [] };
    }
  }
}
