/**
 * What the engine's cgroups mean for the lab. The node containers run systemd with the host's
 * cgroup namespace and /sys/fs/cgroup bound read-write (render/containers.ts), so the nodes' systemd
 * sees whichever hierarchy the engine uses, and pause-node is `docker pause`: the v1 freezer
 * controller, or cgroup.freeze on v2. Both were run in CI: v1 on the host's engine, v2 on
 * scripts/engine-cgroup2.sh's.
 */
import type Docker from 'dockerode';
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

/**
 * Set by `lab image base` on a base whose systemd runs only on a unified (v2) hierarchy: systemd 258
 * dropped cgroup v1 and exits at once on it (Debian forky's 262: "Detected unsupported legacy cgroup
 * hierarchy, refusing execution"). Its value is that systemd's version. Images made from the base
 * (the node image) keep it.
 */
export const LABEL_UNIFIED_ONLY = 'pgha-lab.systemd-unified-only';

/** The first systemd release that refuses cgroup v1. */
export const FIRST_UNIFIED_ONLY_SYSTEMD = 258;

/** Where a v1 host in systemd's hybrid layout mounts its cgroup2 hierarchy (Debian 12, Ubuntu 20.04, this CI host). */
export const HYBRID_UNIFIED_MOUNT = '/sys/fs/cgroup/unified';

/**
 * The host path bound at a node's /sys/fs/cgroup: the engine's own hierarchy, except for an image
 * whose systemd runs only on v2 on a v1 engine, which gets the hybrid layout's cgroup2 mount (seen
 * here: forky's systemd 262 boots to `running` so, the v1 controllers still freezing the container
 * for docker pause). Pure.
 */
export function cgroupBindSource(
  engine: Pick<EngineCgroups, 'CgroupVersion'>,
  imageLabels: Record<string, string> | null | undefined,
): string {
  return engine.CgroupVersion === '1' && imageLabels?.[LABEL_UNIFIED_ONLY] ? HYBRID_UNIFIED_MOUNT : '/sys/fs/cgroup';
}

/** cgroupBindSource for IMAGE on this engine. */
export async function cgroupBindFor(docker: Docker, image: string): Promise<string> {
  const [info, inspected] = await Promise.all([docker.info() as Promise<EngineCgroups>, docker.getImage(image).inspect()]);
  return cgroupBindSource(info, inspected.Config?.Labels);
}
