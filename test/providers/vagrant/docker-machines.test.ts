import t from 'tap';
import { sshEndpointOf } from '../../../lab/providers/vagrant/docker-machines.js';

type Info = Parameters<typeof sshEndpointOf>[0];
const info = (ports: unknown, bindings: unknown): Info => ({ NetworkSettings: { Ports: ports }, HostConfig: { PortBindings: bindings } }) as unknown as Info;

t.test("a machine's ssh endpoint, as Vagrant's docker provider takes it", async (t) => {
  const binding = { '22/tcp': [{ HostIp: '127.0.0.1', HostPort: '2200' }] };
  t.same(sshEndpointOf(info(binding, binding)), { host: '127.0.0.1', port: 2200 }, 'running: the published port');
  t.same(sshEndpointOf(info({ '22/tcp': [{ HostIp: '127.0.0.1', HostPort: '2201' }, { HostIp: '::1', HostPort: '2201' }] }, {})), { host: '127.0.0.1', port: 2201 }, 'the first binding, as ssh_info takes it');
  t.same(sshEndpointOf(info({}, binding)), { host: '127.0.0.1', port: 2200 }, 'stopped: the binding it gets back when started');
  t.same(sshEndpointOf(info({ '22/tcp': [{ HostIp: '', HostPort: '2202' }] }, {})), { host: '127.0.0.1', port: 2202 }, 'published on every address: reached on loopback');
  t.same(sshEndpointOf(info({ '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '2203' }] }, {})), { host: '127.0.0.1', port: 2203 }, 'or on the wildcard address');
  t.equal(sshEndpointOf(info({ '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '5432' }] }, {})), undefined, 'no port 22 published: none');
  t.equal(sshEndpointOf(info(null, null)), undefined, 'nothing published: none');
});
