/** The Docker API client and the error shapes it returns, in one place. */
import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { MissingToolError } from '../../errors.js';

const require = createRequire(import.meta.url);

/**
 * A client for one engine. Without options it honors DOCKER_HOST like the docker CLI (default
 * /var/run/docker.sock); with them (engineOptions) it reaches a named engine: another socket,
 * ssh:// or tcp:// with TLS.
 */
export function dockerClient(options?: Docker.DockerOptions): Docker {
  // Loaded on first use: dockerode is a quarter of the CLI's start-up, and most commands never call it.
  const DockerClient = require('dockerode') as typeof Docker;
  return options ? new DockerClient(options) : new DockerClient();
}

/** TLS material for a tcp:// engine, as DOCKER_CERT_PATH gives it (ca.pem, cert.pem, key.pem), already read. */
export interface EngineTls {
  ca: string;
  cert: string;
  key: string;
}

/**
 * The client options for an engine address as DOCKER_HOST and docker contexts write it:
 * unix:///path, tcp://host:port (TLS when tls is given) or ssh://user@host[:port] (through the
 * ssh agent, as the docker CLI). Pure; throws a plain Error naming what is allowed.
 */
export function engineOptions(host: string, tls?: EngineTls): Docker.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = new URL(host);
  if (url.protocol === 'tcp:') {
    const port = url.port || (tls ? '2376' : '2375');
    return tls
      ? { host: url.hostname, port, protocol: 'https', ca: tls.ca, cert: tls.cert, key: tls.key }
      : { host: url.hostname, port, protocol: 'http' };
  }
  if (url.protocol === 'ssh:') {
    return {
      host: url.hostname,
      port: url.port || '22',
      protocol: 'ssh',
      username: decodeURIComponent(url.username) || 'root',
      sshOptions: { agent: process.env.SSH_AUTH_SOCK },
    } as Docker.DockerOptions;
  }
  throw new Error(`${host}: expected unix:///path, tcp://host:port or ssh://user@host`);
}

const ENGINE_FIX =
  'start the Docker engine (e.g. `systemctl start docker`, or `dockerd &`), or install it: `apt-get install -y docker.io`; ' +
  'check with `docker info`';

/** Fails with the fix when no engine answers within timeoutMs. */
export async function assertEngine(docker: Docker, timeoutMs = 5000): Promise<void> {
  try {
    // dockerode accepts an abortSignal on ping; its typings do not say so.
    const ping = docker.ping.bind(docker) as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>;
    await ping({ abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new MissingToolError(`the Docker engine (${describeError(e)})`, ENGINE_FIX);
  }
}

export function statusCode(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'statusCode' in e ? Number((e as { statusCode: unknown }).statusCode) : undefined;
}

export const isNotFound = (e: unknown): boolean => statusCode(e) === 404;
export const isConflict = (e: unknown): boolean => statusCode(e) === 409;

/** The engine's own message when there is one ("json.message"), not dockerode's HTTP wrapper text. */
export function describeError(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const json = (e as { json?: { message?: string } }).json;
    if (json?.message) return json.message;
    if ('message' in e) return String((e as { message: unknown }).message).trim();
  }
  return String(e);
}
