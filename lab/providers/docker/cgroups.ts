/**
 * What the engine's cgroups mean for the lab. The node containers run systemd with the host's
 * cgroup namespace and /sys/fs/cgroup bound read-write (render/containers.ts), so the nodes' systemd
 * sees whichever hierarchy the engine uses, and pause-node is `docker pause`: the v1 freezer
 * controller, or cgroup.freeze on v2. Both were run in CI: v1 on the host's engine, v2 on
 * scripts/engine-cgroup2.sh's.
 */
import type { DoctorCheck } from '../provider.js';

/** The fields of `docker info` (GET /info) this judgement reads. */
export interface EngineCgroups {
  CgroupVersion?: string;
  CgroupDriver?: string;
  MemoryLimit?: boolean;
  PidsLimit?: boolean;
}

const FLAGS = '--cgroupns=host, /sys/fs/cgroup bound rw';

/** The check line for the engine's cgroup version. Pure. */
export function cgroupCheck(info: EngineCgroups): DoctorCheck {
  const driver = info.CgroupDriver ? ` (driver ${info.CgroupDriver})` : '';
  const limits =
    info.MemoryLimit && info.PidsLimit
      ? 'the engine can limit memory and pids; the lab sets no limit'
      : 'the engine enforces no memory or pids limit (no controller in its hierarchy); the lab sets none, so nothing caps a node';
  switch (info.CgroupVersion) {
    case '1':
      return {
        area: 'docker',
        ok: true,
        what: `cgroup v1${driver}: the nodes' systemd sees the host's v1 hierarchies (${FLAGS}); pause-node freezes a node with the freezer controller; ${limits}`,
      };
    case '2':
      return {
        area: 'docker',
        ok: true,
        what:
          `cgroup v2${driver}: the nodes' systemd sees the unified hierarchy (${FLAGS}); pause-node freezes a node with cgroup.freeze; ${limits}` +
          (info.CgroupDriver === 'systemd'
            ? "; CI runs v2 with the cgroupfs driver only: with systemd's, a problem is worth reporting"
            : ''),
      };
    default:
      return {
        area: 'docker',
        ok: true,
        what: `cgroup version not reported (Docker before 20.10): the lab's container flags were run on v1 and v2`,
      };
  }
}
