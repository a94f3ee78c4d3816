/** systemd as PID 1 of a container: when it has finished booting. */
import type Docker from 'dockerode';
import { waitUntil } from '../../clock.js';
import { dockerExec } from './exec.js';

/** Waits until systemd in the container reports running (or degraded: one failed unit is not ours to judge). */
export function waitForSystemd(container: Docker.Container, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return waitUntil(
    async () => {
      const r = await dockerExec(container, ['systemctl', 'is-system-running'], { timeoutMs: 10_000, signal });
      const state = r.stdout.trim();
      return state === 'running' || state === 'degraded'
        ? { ok: true, value: undefined }
        : { ok: false, reason: `systemd is ${state || 'not up yet'}` };
    },
    { what: 'systemd to boot', timeoutMs, intervalMs: 500, signal },
  );
}
