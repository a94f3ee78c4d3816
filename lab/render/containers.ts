/**
 * What a systemd node container is, for both ways the lab runs containers: the Docker provider
 * (the engine's API) and Vagrant's docker provider (`docker run` flags in the Vagrantfile).
 * Verified on a host where `--privileged` is refused (HOST-FACTS): these capabilities and mounts
 * boot systemd as PID 1.
 */

/** What systemd as PID 1 and the provisioners need in a node's image, beyond the lab's own packages. */
export const NODE_OS_PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'iproute2',
  'iptables',
  'procps',
  'curl',
  'ca-certificates',
  'gnupg',
  'lsb-release',
  'sudo',
  'less',
  'kmod',
];

/** Memory a node needs to run etcd, PostgreSQL and Patroni in a container (measured need plus headroom). */
export const CONTAINER_NODE_MIB = 400;

export const SYSTEMD_CONTAINER = {
  // SYS_BOOT: the watchdog emulator resets a node with `reboot -ff`; NET_ADMIN: iptables faults.
  capAdd: ['SYS_ADMIN', 'NET_ADMIN', 'SYS_BOOT'],
  securityOpt: ['seccomp=unconfined'],
  cgroupns: 'host',
  binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
  tmpfs: { '/run': 'rw,exec', '/run/lock': 'rw' } as Record<string, string>,
  /** systemd halts cleanly on SIGRTMIN+3; SIGTERM (Docker's default) would be ignored until the kill. */
  stopSignal: 'SIGRTMIN+3',
  /** A node (not an image builder): the watchdog's `reboot -ff` must bring it back; `docker kill` (crash) does not. */
  nodeRestartPolicy: 'unless-stopped',
} as const;

/** The same settings as `docker run` flags, for a node container. Pure. */
export function nodeContainerFlags(): string[] {
  const c = SYSTEMD_CONTAINER;
  return [
    ...c.capAdd.flatMap((cap) => ['--cap-add', cap]),
    ...c.securityOpt.flatMap((o) => ['--security-opt', o]),
    `--cgroupns=${c.cgroupns}`,
    ...c.binds.flatMap((b) => ['-v', b]),
    ...Object.entries(c.tmpfs).flatMap(([path, options]) => ['--tmpfs', `${path}:${options}`]),
    '--stop-signal',
    c.stopSignal,
    '--restart',
    c.nodeRestartPolicy,
  ];
}
