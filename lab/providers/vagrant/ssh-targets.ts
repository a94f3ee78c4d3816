/**
 * Where each machine's sshd listens, as `vagrant ssh-config` says (for Vagrant's docker provider, read
 * from the engine the way Vagrant reads it: docker-machines.ts): read once, and again after a
 * failed connection at most every REFRESH_MS (Vagrant takes seconds to start, more on a busy host).
 * While one machine is down, `vagrant ssh-config` fails for all of them: the endpoints read before
 * are kept, so a connection to the down machine fails at once (nothing listens there) instead of
 * every attempt starting Vagrant again.
 */
import { systemClock, type Clock } from '../../clock.js';
import { ExitCode, LabError } from '../../errors.js';
import type { SshTarget } from './machine-readable.js';

export const REFRESH_MS = 30_000;

type Hosts = Map<string, SshTarget>;

export class SshTargets {
  private last?: { readAt: number; hosts: Promise<Hosts> };

  /** read: every machine's target (`vagrant ssh-config`, parsed). */
  constructor(
    private readonly read: () => Promise<Hosts>,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  /** `stale`: a connection to the node failed, so its endpoint may have moved. */
  async get(node: string, stale: boolean): Promise<SshTarget> {
    if (!this.last || (stale && this.clock.now() - this.last.readAt > REFRESH_MS)) {
      const previous = this.last?.hosts;
      const read = this.read();
      const entry = { readAt: this.clock.now(), hosts: previous ? read.catch(() => previous) : read };
      this.last = entry;
      // A first read that failed leaves nothing to keep: the next use reads again.
      if (!previous) {
        entry.hosts.catch(() => {
          if (this.last === entry) this.last = undefined;
        });
      }
    }
    const target = (await this.last.hosts).get(node);
    if (!target)
      throw new LabError(
        `vagrant ssh-config lists no machine ${node}`,
        ExitCode.infrastructure,
        'is it created? see `vagrant status`',
      );
    return target;
  }

  /** After `vagrant up`: new machines, new endpoints. */
  forget(): void {
    this.last = undefined;
  }
}
