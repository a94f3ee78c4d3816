/**
 * Vagrant's docker provider (vm.provider: docker) seen from the engine. Vagrant records each
 * machine's container id in .vagrant/machines/<node>/docker/id; what the lab needs beyond
 * Vagrant's own commands is done on that container directly, as the Docker provider does it
 * (../docker/node-container.ts):
 *  - crash: `docker kill`. `vagrant halt --force` is `docker stop` for this provider (systemd's
 *    clean shutdown), not a power cut; a killed container stays down despite its restart policy.
 *  - start: `docker start`, what `vagrant up` does for a stopped container, without Vagrant's
 *    start-up (seconds on a busy host) on the way.
 *  - boot marker: the container's start time and restart count. A container's restart keeps the
 *    host's boot_id; the watchdog emulator's `reboot -ff` restarts it (restart policy).
 *  - leftovers: what `vagrant destroy` may leave (a built image still used by a sibling machine
 *    when it was destroyed), found by the lab's label.
 *  - ssh targets: what `vagrant ssh-config` says, read as Vagrant reads it (the container's published
 *    port 22, the key Vagrant inserted, user vagrant) without starting Vagrant, which costs seconds
 *    of CPU each time, and fails for every machine while one is down.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import type { LabSpec } from '../../spec/schema.js';
import { dockerClient, describeError, isNotFound } from '../docker/client.js';
import { labIdFor, labSelector } from '../docker/naming.js';
import { NodeContainer } from '../docker/node-container.js';
import { reap } from '../docker/reaper.js';
import type { SshTarget } from './machine-readable.js';

/** The port Vagrant's ssh reaches a machine's sshd on (config.ssh.guest_port's default). */
const SSH_PORT = '22/tcp';

/**
 * Where `vagrant ssh-config` says a machine of the docker provider listens, from its container: the
 * first binding of port 22, as the provider's ssh_info takes it; a stopped container has its
 * configured binding only, which it gets back when started. Undefined without one. Pure.
 */
export function sshEndpointOf(
  info: Pick<Docker.ContainerInspectInfo, 'NetworkSettings' | 'HostConfig'>,
): { host: string; port: number } | undefined {
  const bound = info.NetworkSettings.Ports?.[SSH_PORT]?.[0] ?? info.HostConfig.PortBindings?.[SSH_PORT]?.[0];
  const port = Number(bound?.HostPort);
  if (!bound || !Number.isInteger(port) || port <= 0) return undefined;
  // Published on every address: reached on loopback, never on a wildcard.
  return { host: !bound.HostIp || bound.HostIp === '0.0.0.0' ? '127.0.0.1' : bound.HostIp, port };
}

/** The network Vagrant's docker provider creates for a private_network on this subnet. */
export const vagrantNetworkName = (subnet: string): string => `vagrant_network_${subnet}`;

export class DockerMachines {
  constructor(
    private readonly spec: LabSpec,
    private readonly dir: string,
    private readonly docker: Docker = dockerClient(),
  ) {}

  /** The lab id the Vagrantfile puts in the pgha-lab.lab label: the name and a hash of the directory's real path. */
  async labId(): Promise<string> {
    return labIdFor(this.spec.name, await realpath(this.dir));
  }

  private async containerId(node: string): Promise<string | undefined> {
    const file = path.join(this.dir, '.vagrant', 'machines', node, 'docker', 'id');
    const id = await readFile(file, 'utf8').then(
      (t) => t.trim(),
      () => '',
    );
    return id || undefined;
  }

  private async inspect(node: string): Promise<Docker.ContainerInspectInfo | undefined> {
    const id = await this.containerId(node);
    if (!id) return undefined;
    try {
      return await this.docker.getContainer(id).inspect();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * The machine's container, for the fault primitives (kill, start, the freezer, the boot marker):
   * `vagrant halt --force` would be `docker stop` (systemd's clean shutdown), not a power cut.
   */
  async container(node: string): Promise<NodeContainer> {
    return new NodeContainer(this.docker, node, await this.containerId(node), 'bring the lab up with `lab up` (or `vagrant up`)');
  }

  /** The host interface of the lab subnet's Vagrant network: the lab's own route, not one it would shadow. */
  async bridgeInterfaces(): Promise<string[]> {
    try {
      const network = await this.docker.getNetwork(vagrantNetworkName(this.spec.network.subnet)).inspect();
      return [`br-${String(network.Id).slice(0, 12)}`];
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }

  /**
   * Every created machine's ssh target, as `vagrant ssh-config` gives it: the key Vagrant inserted at
   * the first boot (.vagrant/machines/<m>/docker/private_key), else its insecure key.
   */
  async sshTargets(machines: readonly string[]): Promise<Map<string, SshTarget>> {
    const insecureKey = path.join(process.env.VAGRANT_HOME ?? path.join(homedir(), '.vagrant.d'), 'insecure_private_key');
    const machinesDir = path.join(await realpath(this.dir), '.vagrant', 'machines');
    const targets = new Map<string, SshTarget>();
    for (const name of machines) {
      const info = await this.inspect(name);
      const endpoint = info && sshEndpointOf(info);
      if (!endpoint) continue;
      const inserted = path.join(machinesDir, name, 'docker', 'private_key');
      targets.set(name, { ...endpoint, user: 'vagrant', identityFile: existsSync(inserted) ? inserted : insecureKey });
    }
    return targets;
  }

  /** Which of these machines have a container, running or not. */
  async created(machines: readonly string[]): Promise<string[]> {
    return this.whose(machines, () => true);
  }

  /** Which of these machines' containers run. */
  async running(machines: readonly string[]): Promise<string[]> {
    return this.whose(machines, (info) => info.State.Running);
  }

  private async whose(machines: readonly string[], test: (info: Docker.ContainerInspectInfo) => boolean): Promise<string[]> {
    const states = await Promise.all(machines.map(async (name) => ({ name, info: await this.inspect(name) })));
    return states.filter((s) => s.info && test(s.info)).map((s) => s.name);
  }

  /** Removes what carries the lab's label and `vagrant destroy` left: containers, then images; and the lab subnet's Vagrant network once unused. */
  async removeLeftovers(): Promise<{ removed: string[]; kept: string[] }> {
    const { removed, kept } = await reap(this.docker, labSelector(await this.labId()), ['container', 'image']);
    const network = vagrantNetworkName(this.spec.network.subnet);
    try {
      const info = await this.docker.getNetwork(network).inspect();
      if (Object.keys(info.Containers ?? {}).length === 0) {
        await this.docker.getNetwork(network).remove();
        removed.push(`network ${network}`);
      }
    } catch (e) {
      if (!isNotFound(e)) kept.push(`network ${network}: ${describeError(e)}`);
    }
    return { removed, kept };
  }
}
