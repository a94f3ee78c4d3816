/**
 * A container whose ports Docker picks still starts when the ports Docker tries first are taken by
 * something it cannot see: here, listeners of this process on the next 25 ports of the engine's
 * allocator (Docker tries ten per start). Seen in CI with a second engine on the same host, whose
 * allocations engine one cannot see, at a workshop seat's reset. Run by docker-then-scenarios.test.ts.
 */
import { createServer, type Server } from 'node:net';
import type Docker from 'dockerode';
import t from 'tap';
import { LOCAL_BASE_IMAGE } from '../../lab/providers/docker/base-image-tag.js';
import { startContainer } from '../../lab/providers/docker/objects.js';
import { LABEL_LAB } from '../../lab/providers/docker/naming.js';
import { docker, removeLeftoverLabs, requireEngine } from './docker-harness.js';

const LAB = 'tports';
const LAB_ID = `${LAB}-000000`;

async function sleeper(name: string): Promise<Docker.Container> {
  return docker.createContainer({
    name: `${LAB_ID}-${name}`,
    Image: LOCAL_BASE_IMAGE,
    Cmd: ['sleep', '300'],
    Labels: { [LABEL_LAB]: LAB_ID },
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
}

const hostPort = async (c: Docker.Container): Promise<number> =>
  Number((await c.inspect()).NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);

const listen = (port: number): Promise<Server | undefined> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined)); // taken already: taken all the same
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

t.test('a container starts when the first ports Docker tries are taken', async (t) => {
  await requireEngine();
  await removeLeftoverLabs(LAB);
  const servers: Server[] = [];
  t.teardown(async () => {
    for (const s of servers) s.close();
    await removeLeftoverLabs(LAB);
  });

  // Where the engine's allocator stands: the port it gave last.
  const probe = await sleeper('probe');
  await probe.start();
  const last = await hostPort(probe);
  await probe.remove({ force: true });
  for (let port = last + 1; port <= last + 25; port++) {
    const server = await listen(port);
    if (server) servers.push(server);
  }
  t.ok(servers.length > 0, `listening on ${servers.length} of the 25 ports after ${last}`);

  const container = await sleeper('started');
  await startContainer(container, 'the test container');
  const port = await hostPort(container);
  t.ok(port > last + 25 || port < last, `it runs, on port ${port}, past the taken ones (${last + 1}-${last + 25})`);
});
