/** A node container as pure data: systemd's settings, the lab address, ports on 127.0.0.1 only. */
import t from 'tap';
import type Docker from 'dockerode';
import { networkSpec, nodeContainerSpec, publishedPort, withCgroupSource } from '../../../lab/providers/docker/container-spec.js';
import { labelsFor } from '../../../lab/providers/docker/naming.js';
import { DK1 as spec } from './dk1.js';

t.test('node container settings', async (t) => {
  const node = spec.nodes[1]!;
  const c = nodeContainerSpec(spec, 'dk1-abcdef', '/labs/dk1', 'pgha-lab/node:x', node);
  const host = c.HostConfig as Docker.HostConfig & { CgroupnsMode?: string };
  t.equal(c.Hostname, 'node2');
  t.same(c.Cmd, ['/sbin/init']);
  t.equal(c.StopSignal, 'SIGRTMIN+3', 'docker stop halts systemd cleanly');
  t.notOk(host.Privileged, 'never --privileged (it fails on this kind of host)');
  t.same(host.CapAdd, ['SYS_ADMIN', 'NET_ADMIN', 'SYS_BOOT']);
  t.same(host.SecurityOpt, ['seccomp=unconfined']);
  t.equal(host.CgroupnsMode, 'host');
  t.ok(host.Binds?.includes('/sys/fs/cgroup:/sys/fs/cgroup:rw'));
  t.ok(host.Binds?.includes('/labs/dk1:/vagrant:ro'), 'the lab dir at /vagrant, read-only, as in the VMs');
  t.same(Object.keys(host.Tmpfs ?? {}), ['/run', '/run/lock']);
  t.equal(host.RestartPolicy?.Name, 'unless-stopped', "the watchdog's reboot -ff brings the node back");
  t.same(host.ExtraHosts, ['node1:192.168.1.11', 'node2:192.168.1.12', 'node3:192.168.1.13']);
  t.same(c.NetworkingConfig?.EndpointsConfig?.['dk1-abcdef-net']?.IPAMConfig, { IPv4Address: '192.168.1.12' });
  for (const bindings of Object.values(host.PortBindings as Record<string, { HostIp: string; HostPort: string }[]>)) {
    t.same(bindings, [{ HostIp: '127.0.0.1', HostPort: '' }], 'published on 127.0.0.1 only, at a port the engine picks');
  }
  t.same(Object.keys(c.ExposedPorts ?? {}).sort(), ['2379/tcp', '5432/tcp', '8008/tcp']);
  t.same(c.Labels, labelsFor('dk1-abcdef', 'node', 'node2'));
  const net = networkSpec(spec, 'dk1-abcdef');
  t.same(net.IPAM?.Config, [{ Subnet: '192.168.1.0/24' }]);
  t.same(net.Labels, labelsFor('dk1-abcdef', 'network'));
});

t.test('published ports are read back from inspect', async (t) => {
  const info = {
    NetworkSettings: { Ports: { '8008/tcp': [{ HostIp: '127.0.0.1', HostPort: '32768' }], '5432/tcp': null } },
  } as unknown as Docker.ContainerInspectInfo;
  t.equal(publishedPort(info, 'patroni'), 32768);
  t.equal(publishedPort(info, 'postgres'), undefined, 'none while the container is down');
});

t.test('withCgroupSource binds another host path at /sys/fs/cgroup and leaves the rest', async (t) => {
  const create = nodeContainerSpec(spec, 'dk1-abc123', '/labs/dk1', 'pgha-lab/node:x', spec.nodes[0]!);
  const moved = withCgroupSource(create, '/sys/fs/cgroup/unified');
  t.same(moved.HostConfig?.Binds, ['/sys/fs/cgroup/unified:/sys/fs/cgroup:rw', '/labs/dk1:/vagrant:ro']);
  t.same({ ...moved.HostConfig, Binds: undefined }, { ...create.HostConfig, Binds: undefined }, 'nothing else changes');
  t.same(create.HostConfig?.Binds?.[0], '/sys/fs/cgroup:/sys/fs/cgroup:rw', 'the original is not modified');
});
