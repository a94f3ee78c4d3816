/**
 * How the host reaches Vagrant machines, whatever the Vagrant provider: the ssh endpoint Vagrant
 * itself uses (`vagrant ssh-config`), one ssh connection per node kept open by the provider, with
 * commands run over it and the node's service ports forwarded to 127.0.0.1 ports on the host
 * (`ssh -L` in-process). Nothing depends on `vagrant port` or forwarded ports, which libvirt lacks.
 * An idle connection does not keep the process alive (its socket is unref'd between commands), so the
 * CLI exits when its work is done; close() ends everything at once.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import type { Client, ClientChannel } from 'ssh2';
import { constants } from 'node:os';
import { ConnectionLostError, LabError } from '../../errors.js';
import type { ExecOptions, ExecResult } from '../provider.js';
import { remoteCommand, type SshTarget } from './machine-readable.js';

const require = createRequire(import.meta.url);

const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** What coreutils `timeout` returns; the host-side bound reports the same code. */
const TIMED_OUT_EXIT = 124;
const CONNECT_TIMEOUT_MS = 15_000;

interface Link {
  ready: Promise<Client>;
  client: Client;
  /** Commands in flight: while there are any, the socket keeps the process alive. */
  busy: number;
  sock?: net.Socket;
}

/** Runs fn with the link's socket holding the process alive (an unref'd socket alone would let it exit mid-command). */
async function holding<T>(link: Link, fn: () => Promise<T>): Promise<T> {
  link.busy++;
  link.sock?.ref();
  try {
    return await fn();
  } finally {
    if (--link.busy === 0) link.sock?.unref();
  }
}

export class SshLinks {
  private readonly links = new Map<string, Link>();
  private readonly forwards = new Map<string, Promise<number>>();
  private readonly servers = new Set<net.Server>();

  /** resolve: the node's current ssh endpoint (it may change when a VM comes back up). */
  constructor(private readonly resolve: (node: string, stale: boolean) => Promise<SshTarget>) {}

  private connect(node: string, stale: boolean): Link {
    // Loaded on first use, like dockerode: only the Vagrant provider's commands talk ssh, and ssh2 (with
    // its optional native crypto) is outside the bundle, so a static import would load it for every command.
    const { Client: SshClient } = require('ssh2') as typeof import('ssh2');
    const client = new SshClient();
    const link: Link = { ready: Promise.resolve(client), client, busy: 0 };
    link.ready = holding(link, async () => {
      const target = await this.resolve(node, stale);
      const privateKey = await readFile(target.identityFile);
      const sock = net.connect({ host: target.host, port: target.port });
      link.sock = sock;
      // TCP keepalive, not ssh2's (its interval timer would keep the process alive).
      sock.setKeepAlive(true, 5000);
      return new Promise<Client>((resolve, reject) => {
        const fail = (e: Error): void => {
          client.end();
          reject(
            new LabError(
              `cannot reach ${node} over ssh (${target.user}@${target.host}:${target.port}): ${e.message}`,
              undefined,
              'is the machine running? see `vagrant status`',
            ),
          );
        };
        // A connection closed after sshd's banner but before the login ends with no error from ssh2
        // (its handshake timer stops on close): without this the link would never settle.
        const closed = (): void => fail(new Error('the connection closed before the login completed'));
        sock.once('error', fail);
        client.once('error', fail);
        client.once('close', closed);
        client.once('ready', () => {
          sock.off('error', fail);
          client.off('error', fail);
          client.off('close', closed);
          resolve(client);
        });
        client.connect({ sock, username: target.user, privateKey, readyTimeout: CONNECT_TIMEOUT_MS });
      });
    });
    const forget = (): void => {
      if (this.links.get(node) === link) this.links.delete(node);
    };
    client.on('close', forget);
    client.on('error', forget);
    link.ready.catch(forget);
    return link;
  }

  /** The node's connection, opened on first use and again after it dropped (a crash, a reboot). */
  private async link(node: string): Promise<Link> {
    let link = this.links.get(node);
    if (!link) {
      link = this.connect(node, false);
      this.links.set(node, link);
    }
    try {
      await link.ready;
      return link;
    } catch {
      // Once more, where `vagrant ssh-config` says now: the endpoint may have moved. The failed link
      // is forgotten already; callers that saw the same failure share the one retry.
      let again = this.links.get(node);
      if (!again || again === link) {
        again = this.connect(node, true);
        this.links.set(node, again);
      }
      await again.ready;
      return again;
    }
  }

  /** argv as root on the node (`sudo`), bounded inside the node by coreutils `timeout` and on the host. */
  async exec(node: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    options.signal?.throwIfAborted();
    const link = await this.link(node);
    return holding(link, () => this.run(node, link.client, argv, options));
  }

  private async run(node: string, client: Client, argv: string[], options: ExecOptions): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const command = remoteCommand(['timeout', '--kill-after=5', `${Math.ceil(timeoutMs / 1000)}s`, ...argv]);
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.exec(command, (e, ch) => (e ? reject(e) : resolve(ch))),
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    channel.on('data', (chunk: Buffer) => out.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    channel.end(options.input);
    const outcome = await new Promise<{ code: number } | 'timeout' | 'aborted' | 'lost'>((resolve) => {
      const timer = setTimeout(() => finish('timeout'), timeoutMs + 10_000);
      const onAbort = (): void => finish('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let code: number | undefined;
      function finish(result: { code: number } | 'timeout' | 'aborted' | 'lost'): void {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (typeof result === 'string') channel.close();
        resolve(result);
      }
      // Killed by a signal, sshd sends exit-signal, not exit-status: the shell's 128 + its number.
      channel.on(
        'exit',
        (c: number | null, signal?: string) =>
          (code = c ?? (signal ? 128 + (constants.signals[`SIG${signal}` as keyof typeof constants.signals] ?? 0) : undefined)),
      );
      channel.on('close', () => finish(code === undefined ? 'lost' : { code }));
    });
    if (outcome === 'aborted') throw options.signal?.reason ?? new Error('aborted');
    const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString('utf8');
    if (outcome === 'lost') throw new ConnectionLostError(`${node}: the ssh connection closed while \`${argv.join(' ')}\` ran`);
    if (outcome === 'timeout')
      return {
        exitCode: TIMED_OUT_EXIT,
        stdout: text(out),
        stderr: `${text(err)}\n(lab: gave up after ${Math.round(timeoutMs / 1000)} s)\n`,
      };
    return { exitCode: outcome.code, stdout: text(out), stderr: text(err) };
  }

  /**
   * A 127.0.0.1 port on the host that reaches 127.0.0.1:guestPort inside the node, kept while the
   * provider lives; resolves once the node's connection is up, so the first use does not pay for
   * the handshake. A connection to the port is closed while the node cannot be reached.
   */
  async forward(node: string, guestPort: number): Promise<number> {
    await this.link(node);
    const key = `${node}:${guestPort}`;
    let port = this.forwards.get(key);
    if (!port) {
      port = this.listen(node, guestPort);
      this.forwards.set(key, port);
      port.catch(() => this.forwards.delete(key));
    }
    return port;
  }

  private listen(node: string, guestPort: number): Promise<number> {
    const server = net.createServer((local) => {
      local.unref();
      local.on('error', () => local.destroy());
      this.link(node)
        .then(
          ({ client }) =>
            new Promise<ClientChannel>((resolve, reject) =>
              client.forwardOut('127.0.0.1', 0, '127.0.0.1', guestPort, (e, ch) => (e ? reject(e) : resolve(ch))),
            ),
        )
        .then(
          (remote) => {
            remote.on('error', () => local.destroy());
            local.pipe(remote).pipe(local);
            remote.on('close', () => local.destroy());
            local.on('close', () => remote.close());
          },
          () => local.destroy(),
        );
    });
    this.servers.add(server);
    server.unref();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  }

  /** Ends every connection and forward. */
  async close(): Promise<void> {
    for (const server of this.servers) server.close();
    this.servers.clear();
    this.forwards.clear();
    for (const link of this.links.values()) link.client.end();
    this.links.clear();
  }
}
