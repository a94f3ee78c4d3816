/**
 * A node that is a container, whoever created it: the Docker provider (found by its name) or
 * Vagrant's docker provider (found by the id Vagrant recorded). The fault primitives that act on
 * the machine itself, one way for both: crash (SIGKILL), start, the cgroup freezer and the boot marker.
 */
import type Docker from 'dockerode';
import { ExitCode, LabError } from '../../errors.js';
import type { BootMarker } from '../provider.js';
import { isConflict, isNotFound, statusCode } from './client.js';
import { freezeContainer } from './freeze.js';

/**
 * A container's restart keeps the host's boot_id; its start time and restart count change instead
 * (the watchdog emulator's `reboot -ff` restarts it through the restart policy). Pure.
 */
export function bootMarkerOf(node: string, info: Pick<Docker.ContainerInspectInfo, 'State' | 'RestartCount'>): BootMarker {
  return { node, marker: `${info.State.StartedAt}#${info.RestartCount}` };
}

export class NodeContainer {
  /**
   * @param ref the container's name or id; none when nothing records one (Vagrant never created it)
   * @param fix what brings the node's container back, for the error when there is none
   */
  constructor(
    private readonly docker: Pick<Docker, 'getContainer'>,
    readonly node: string,
    private readonly ref: string | undefined,
    private readonly fix: string,
  ) {}

  private missing(): LabError {
    return new LabError(`node ${this.node} has no container`, ExitCode.badInput, this.fix);
  }

  /** The engine's call on the container, its 404 turned into the error that names the fix. */
  private async call<T>(act: (container: Docker.Container) => Promise<T>): Promise<T> {
    if (!this.ref) throw this.missing();
    try {
      return await act(this.docker.getContainer(this.ref));
    } catch (e) {
      if (isNotFound(e)) throw this.missing();
      throw e;
    }
  }

  inspect(): Promise<Docker.ContainerInspectInfo> {
    return this.call((c) => c.inspect());
  }

  /** A power cut: verified on this engine, a killed container stays down despite `unless-stopped` until start(). */
  async kill(): Promise<void> {
    try {
      await this.call((c) => c.kill({ signal: 'SIGKILL' }));
    } catch (e) {
      if (!isConflict(e)) throw e; // already not running
    }
  }

  async start(): Promise<void> {
    try {
      await this.call((c) => c.start());
    } catch (e) {
      if (statusCode(e) !== 304) throw e; // already running
    }
  }

  /** The cgroup freezer: every process of the node stops at once, the network stays up. Idempotent. */
  async pause(): Promise<void> {
    if (!(await this.paused())) await this.call((c) => freezeContainer(c, this.node));
  }

  /** Idempotent. */
  async resume(): Promise<void> {
    if (await this.paused()) await this.call((c) => c.unpause());
  }

  async paused(): Promise<boolean> {
    return (await this.inspect()).State.Paused;
  }

  async bootMarker(): Promise<BootMarker> {
    return bootMarkerOf(this.node, await this.inspect());
  }
}
