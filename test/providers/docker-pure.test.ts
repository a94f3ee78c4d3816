/** The pure parts of the Docker provider: names, labels and filters, container settings, step order. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseSpec } from '../../lab/spec/load.js';
import { networkSpec, nodeContainerSpec, publishedPort } from '../../lab/providers/docker/container-spec.js';
import { belongsTo, containerName, labFilter, labIdFor, labelsFor, networkName } from '../../lab/providers/docker/naming.js';
import { nodeImageTag } from '../../lab/providers/docker/node-image-tag.js';
import { NODE_STEPS, stepBatches, stepLabel } from '../../lab/providers/docker/provision.js';
import { parseMirror } from '../../lab/providers/docker/base-image.js';
import { tail } from '../../lab/providers/steps.js';
import type Docker from 'dockerode';

const { spec } = parseSpec(readFileSync(new URL('../fixtures/docker-lab-dk1.yaml', import.meta.url), 'utf8'));

t.test('lab ids, labels and filters', async (t) => {
  const id = labIdFor('dk1', '/home/me/labs/dk1');
  t.match(id, /^dk1-[0-9a-f]{6}$/, 'name plus a short hash of the lab dir');
  t.equal(labIdFor('dk1', '/home/me/labs/dk1'), id, 'stable for one directory');
  t.not(labIdFor('dk1', '/other/checkout/labs/dk1'), id, 'another checkout of the same lab gets another id');
  t.same(labelsFor(id, 'node', 'node2'), { 'pgha-lab.lab': id, 'pgha-lab.role': 'node', 'pgha-lab.node': 'node2' });
  t.same(labFilter(id), { label: [`pgha-lab.lab=${id}`] }, 'the filter names the exact lab id');
  t.same(labFilter(id, 'builder').label, [`pgha-lab.lab=${id}`, 'pgha-lab.role=builder']);
  t.ok(belongsTo(id, { 'pgha-lab.lab': id }));
  t.notOk(belongsTo(id, { 'pgha-lab.lab': `${id}x` }), 'a longer id is another lab');
  t.notOk(belongsTo(id, undefined));
  t.equal(containerName(id, 'node1'), `${id}-node1`, 'container names start with the lab name');
  t.equal(networkName(id), `${id}-net`);
});

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
  const info = { NetworkSettings: { Ports: { '8008/tcp': [{ HostIp: '127.0.0.1', HostPort: '32768' }], '5432/tcp': null } } } as unknown as Docker.ContainerInspectInfo;
  t.equal(publishedPort(info, 'patroni'), 32768);
  t.equal(publishedPort(info, 'postgres'), undefined, 'none while the container is down');
});

t.test('provisioning order', async (t) => {
  t.same(NODE_STEPS.map(stepLabel), ['20-etcd', '30-watchdog', '40-patroni'], 'packages are in the node image, not run per node');
  const names = (batches: { name: string }[][]): string[][] => batches.map((b) => b.map((n) => n.name));
  t.same(names(stepBatches('etcd', spec)), [['node1', 'node2', 'node3']], 'static etcd bootstrap: all members at once');
  t.same(names(stepBatches('etcd', { ...spec, etcd: { ...spec.etcd, bootstrap: 'incremental' } })), [['node1'], ['node2'], ['node3']], 'incremental: node by node');
  t.same(names(stepBatches('patroni', spec)), [['node1', 'node2', 'node3']], 'Patroni everywhere at once: etcd decides who bootstraps');
  t.same(names(stepBatches('watchdog', spec)), [['node1', 'node2', 'node3']]);
});

t.test('node image tag follows what decides its contents', async (t) => {
  const scripts = ['packages', 'lib'];
  const tag = nodeImageTag('sha256:base', scripts, spec);
  t.match(tag, /^pgha-lab\/node:[0-9a-f]{16}$/);
  t.equal(nodeImageTag('sha256:base', [...scripts], spec), tag, 'stable');
  t.not(nodeImageTag('sha256:other', scripts, spec), tag, 'another base image');
  t.not(nodeImageTag('sha256:base', ['packages2', 'lib'], spec), tag, 'another 10-packages.sh');
  t.not(nodeImageTag('sha256:base', ['packages', 'lib2'], spec), tag, 'another lib.sh');
  t.not(nodeImageTag('sha256:base', scripts, { postgres: { ...spec.postgres, version: 16 } }), tag, 'another PostgreSQL version');
});

t.test('the Debian mirror from apt sources', async (t) => {
  t.equal(parseMirror('Types: deb\n# comment\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n'), 'http://deb.debian.org/debian');
  t.equal(parseMirror('deb [arch=amd64] http://mirror.example/debian bookworm main\n'), 'http://mirror.example/debian');
  t.equal(parseMirror('URIs: http://deb.debian.org/debian-security\n'), undefined, 'the security archive has no base system');
  t.equal(parseMirror(''), undefined);
});

t.test('a failed step shows the tail of its output', async (t) => {
  const text = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
  const shown = tail(text, 3).split('\n');
  t.same(shown, ['…', 'line 48', 'line 49', 'line 50']);
  t.equal(tail('one\ntwo\n'), 'one\ntwo');
});
