/**
 * `docker pause` that survives a busy container. runc's cgroup v1 freezer gives up ("unable to
 * freeze") when the container's processes keep forking while it freezes them, as systemd's boot
 * does on a loaded host (seen in CI: a workshop seat's snapshot right after boot); runc thaws the
 * cgroup again, so another attempt is safe. Any other error ends the wait at once.
 */
import type Docker from 'dockerode';
import { waitUntil } from '../../clock.js';
import { describeError } from './client.js';

const FREEZE_TIMEOUT_MS = 60_000;

export async function freezeContainer(container: Docker.Container, what: string, timeoutMs = FREEZE_TIMEOUT_MS): Promise<void> {
  await waitUntil(
    async () => {
      await container.pause();
      return { ok: true, value: undefined };
    },
    {
      what: `pausing ${what} (the cgroup freezer)`,
      timeoutMs,
      intervalMs: 2000,
      fatal: (e) => !/unable to freeze/.test(describeError(e)),
    },
  );
}
