/**
 * One build of an image at a time per engine and tag, across processes: two labs brought up at once
 * (two terminals, tests run side by side) would otherwise both build the same node image, each taking
 * minutes of apt. proper-lockfile's lock is a directory whose mtime the holder keeps fresh, so a
 * holder killed by SIGKILL leaves a lock that goes stale (and is taken over) instead of one that blocks
 * every later `lab up`.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import lockfile from 'proper-lockfile';
import { waitUntil } from '../../clock.js';

/** A holder that stops refreshing is taken over after this long. */
const STALE_MS = 60_000;
/** How long a second builder waits for the first (the node image takes minutes on a busy host). */
const WAIT_MS = 20 * 60_000;
const RETRY_MS = 2_000;

/** The lock's path for an image tag on an engine. Pure. */
export function imageLockPath(dir: string, engine: string, tag: string): string {
  return path.join(dir, `${createHash('sha256').update(`${engine}\n${tag}`).digest('hex').slice(0, 16)}.image`);
}

function engineOf(docker: Docker): string {
  const m = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown };
  return typeof m.socketPath === 'string' ? m.socketPath : `${String(m.host)}:${String(m.port)}`;
}

/**
 * Runs `build` holding the image's lock; `build` must look again whether the image exists, since
 * another process may have built it while this one waited.
 */
export async function withImageLock<T>(docker: Docker, tag: string, build: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const dir = path.join(tmpdir(), 'pgha-lab-locks');
  await mkdir(dir, { recursive: true });
  const file = imageLockPath(dir, engineOf(docker), tag);
  // Our own bounded wait (Ctrl-C ends it), one try of the lock per look.
  const release = await waitUntil(
    async () => {
      try {
        return { ok: true as const, value: await lockfile.lock(file, { realpath: false, stale: STALE_MS }) };
      } catch (e) {
        if ((e as { code?: string }).code !== 'ELOCKED') throw e;
        return { ok: false as const, reason: `another process is building ${tag}` };
      }
    },
    { what: `the build of ${tag} by another process`, timeoutMs: WAIT_MS, intervalMs: RETRY_MS, signal, fatal: () => true },
  );
  try {
    return await build();
  } finally {
    await release().catch(() => undefined);
  }
}
