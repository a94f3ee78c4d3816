import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import t from 'tap';
import type { LabSpec } from '../../../lab/spec/schema.js';
import { DockerMachines, sshEndpointOf } from '../../../lab/providers/vagrant/docker-machines.js';

type Info = Parameters<typeof sshEndpointOf>[0];
const info = (ports: unknown, bindings: unknown): Info =>
  ({ NetworkSettings: { Ports: ports }, HostConfig: { PortBindings: bindings } }) as unknown as Info;

t.test("a machine's ssh endpoint, as Vagrant's docker provider takes it", async (t) => {
  const binding = { '22/tcp': [{ HostIp: '127.0.0.1', HostPort: '2200' }] };
  t.same(sshEndpointOf(info(binding, binding)), { host: '127.0.0.1', port: 2200 }, 'running: the published port');
  t.same(
    sshEndpointOf(
      info(
        {
          '22/tcp': [
            { HostIp: '127.0.0.1', HostPort: '2201' },
            { HostIp: '::1', HostPort: '2201' },
          ],
        },
        {},
      ),
    ),
    { host: '127.0.0.1', port: 2201 },
    'the first binding, as ssh_info takes it',
  );
  t.same(sshEndpointOf(info({}, binding)), { host: '127.0.0.1', port: 2200 }, 'stopped: the binding it gets back when started');
  t.same(
    sshEndpointOf(info({ '22/tcp': [{ HostIp: '', HostPort: '2202' }] }, {})),
    { host: '127.0.0.1', port: 2202 },
    'published on every address: reached on loopback',
  );
  t.same(
    sshEndpointOf(info({ '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '2203' }] }, {})),
    { host: '127.0.0.1', port: 2203 },
    'or on the wildcard address',
  );
  t.equal(
    sshEndpointOf(info({ '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '5432' }] }, {})),
    undefined,
    'no port 22 published: none',
  );
  t.equal(sshEndpointOf(info(null, null)), undefined, 'nothing published: none');
});

t.test("a machine's container is the one Vagrant recorded; none recorded, the fix is Vagrant's", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pgha-vagrant-machines-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, '.vagrant', 'machines', 'node1', 'docker'), { recursive: true });
  await writeFile(path.join(dir, '.vagrant', 'machines', 'node1', 'docker', 'id'), 'abc123\n');
  const asked: string[] = [];
  const docker = { getContainer: (id: string) => (asked.push(id), { kill: async () => undefined }) } as unknown as Docker;
  const machines = new DockerMachines({} as LabSpec, dir, docker);
  await (await machines.container('node1')).kill();
  t.same(asked, ['abc123'], 'by the id in .vagrant/machines/<node>/docker/id');
  await t.rejects((await machines.container('node2')).kill(), {
    message: 'node node2 has no container',
    hint: 'bring the lab up with `lab up` (or `vagrant up`)',
  });
  t.same(asked, ['abc123'], 'the engine is not asked for a machine Vagrant never created');
});
