/**
 * The wait strategies' probes, each against what it reads: systemd's state through a faked exec,
 * etcd's member list and an ssh banner from servers on 127.0.0.1.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import t from 'tap';
import { etcdFormed, sshAnswers, systemdRunning } from '../../lab/cluster/readiness.js';
import type { ExecResult, NodeEndpoints } from '../../lab/providers/provider.js';

const spec = { nodes: [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }] } as Parameters<typeof systemdRunning>[1];

async function listening(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

t.test('systemd running: running or degraded on every node; the reason names the others', async (t) => {
  const states: Record<string, string> = { node1: 'running', node2: 'degraded', node3: 'starting' };
  const exec = async (node: string): Promise<ExecResult> => ({ exitCode: 0, stdout: `${states[node]}\n`, stderr: '' });
  const strategy = systemdRunning({ exec }, spec);
  t.same(await strategy.probe(), { ok: false, reason: 'node3: systemd is starting' });
  states.node3 = 'running';
  t.same(await strategy.probe(), { ok: true, value: undefined });
});

t.test('etcd formed: every node a member, as the first node lists them', async (t) => {
  let members = ['node1', 'node2'];
  const server = createHttpServer((req, res) => {
    t.equal(req.url, '/v3/cluster/member/list');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ members: members.map((name, i) => ({ ID: String(i + 1), name, clientURLs: [] })) }));
  });
  const port = await listening(server);
  t.teardown(() => server.close());
  const asked: string[] = [];
  const endpoints = async (node: string): Promise<NodeEndpoints> => {
    asked.push(node);
    const at = { host: '127.0.0.1', port };
    return { node, patroni: at, postgres: at, etcd: at };
  };
  const strategy = etcdFormed({ endpoints }, spec, 10_000);
  t.same(await strategy.probe(), { ok: false, reason: 'not members yet: node3' });
  members = ['node3', 'node2', 'node1'];
  t.same(await strategy.probe(), { ok: true, value: undefined });
  t.same([...new Set(asked)], ['node1'], "node1's member is asked");
  const failing = etcdFormed({ endpoints: async () => Promise.reject(new Error('node1 publishes no etcd port')) }, spec, 10_000);
  t.same(
    await failing.probe(),
    { ok: false, reason: 'node1 publishes no etcd port' },
    'an unreachable node is a reason to wait, not an error',
  );
});

t.test('ssh answers: a banner starting SSH- and nothing else', async (t) => {
  let banner = 'HTTP/1.1 400 Bad Request\r\n';
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(banner);
  });
  const port = await listening(server);
  t.teardown(() => server.close());
  const strategy = sshAnswers('127.0.0.1', port, 10_000);
  t.same(strategy.what, `ssh on 127.0.0.1:${port}`);
  t.same(await strategy.probe(), { ok: false, reason: 'not an ssh banner: HTTP/1.1 400 Bad Request\r\n' });
  banner = 'SSH-2.0-OpenSSH_9.9\r\n';
  t.same(await strategy.probe(), { ok: true, value: undefined });
  server.close();
  await new Promise((resolve) => server.once('close', resolve));
  const closed = await strategy.probe();
  t.equal(closed.ok, false, 'nothing listening');
  t.match(closed.ok ? '' : closed.reason, /ECONNREFUSED/);
});
