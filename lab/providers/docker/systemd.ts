/** systemd as PID 1 of a container: when it has finished booting, or that it never will. */
import type Docker from 'dockerode';
import { waitUntil } from '../../clock.js';
import { LabError } from '../../errors.js';
import { dockerExec } from './exec.js';

/** The container's PID 1 ended: no later look can find systemd booted. */
class SystemdExitedError extends LabError {}

/** The last lines of what a container wrote, without the colours systemd gives a terminal. Pure. */
export function lastLogLines(log: string, count: number): string {
  const plain = log.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  return plain
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-count)
    .join('\n');
}

/** A container's log as the engine sends it without a TTY (8-byte frame headers: stream, 0, 0, 0, size) as text. Pure. */
export function logText(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length && raw[at]! <= 2 && raw[at + 1] === 0 && raw[at + 2] === 0 && raw[at + 3] === 0) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return at === 0 ? raw.toString('utf8') : Buffer.concat(parts).toString('utf8');
}

async function exitedError(container: Docker.Container): Promise<SystemdExitedError | undefined> {
  const info = await container.inspect().catch(() => undefined);
  if (!info || info.State.Running) return undefined;
  const log = await container.logs({ stdout: true, stderr: true, tail: 20 }).catch(() => Buffer.from(''));
  const said = lastLogLines(logText(log), 8);
  return new SystemdExitedError(
    `systemd exited (code ${info.State.ExitCode}) in ${info.Name.replace(/^\//, '')} instead of booting${said ? `:\n${said}` : ''}`,
    undefined,
    /cgroup v1|legacy cgroup/.test(said)
      ? 'this systemd runs only on cgroup v2: build the base with `lab image base` (it labels such a base), or use an engine on cgroup v2'
      : 'run `lab doctor --provider docker`',
  );
}

/** Waits until systemd in the container reports running (or degraded: one failed unit is not ours to judge); fails at once if the container stops. */
export function waitForSystemd(container: Docker.Container, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return waitUntil(
    async () => {
      const r = await dockerExec(container, ['systemctl', 'is-system-running'], { timeoutMs: 10_000, signal }).catch(
        async (e: unknown) => {
          throw (await exitedError(container)) ?? e;
        },
      );
      const state = r.stdout.trim();
      return state === 'running' || state === 'degraded'
        ? { ok: true, value: undefined }
        : { ok: false, reason: `systemd is ${state || 'not up yet'}` };
    },
    { what: 'systemd to boot', timeoutMs, intervalMs: 500, signal, fatal: (e) => e instanceof SystemdExitedError },
  );
}
