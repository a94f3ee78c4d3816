/** The Docker API client and the error shapes it returns, in one place. */
import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { MissingToolError } from '../../errors.js';

const require = createRequire(import.meta.url);

export function dockerClient(): Docker {
  // Loaded on first use: dockerode is a quarter of the CLI's start-up, and most commands never call it.
  const DockerClient = require('dockerode') as typeof Docker;
  // Honors DOCKER_HOST like the docker CLI; the default is /var/run/docker.sock.
  return new DockerClient();
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
