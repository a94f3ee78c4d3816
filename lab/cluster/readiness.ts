/**
 * Bringing a lab up is the provider's `up` (machines created, booted and provisioned) followed by
 * waits the caller composes, as testcontainers composes wait strategies: systemd running on every
 * node, then the lab healthy, each with its own timeout and each shown as a progress task. A
 * workshop seat stops at an earlier stage and waits for etcd formed, and for its ssh entry.
 */
import { connect } from 'node:net';
import { waitUntil, type Clock, type Probe } from '../clock.js';
import type { ProgressListener, Provider } from '../providers/provider.js';
import { task } from '../providers/tasks.js';
import type { LabSpec } from '../spec/schema.js';
import type { LabContext } from '../labdir/context.js';
import { LabAccess } from './access.js';
import { etcdMembers } from './etcd.js';
import { labHealth, type LabHealth } from './health.js';

export interface WaitStrategy<T = unknown> {
  /** What is awaited, as the progress line and a timeout name it. */
  what: string;
  timeoutMs: number;
  intervalMs: number;
  probe(signal?: AbortSignal): Promise<Probe<T>>;
}

export interface WaitForOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  clock?: Clock;
}

/** Runs one strategy to its end: its value, or a WaitTimeoutError naming what was still wrong. */
export function waitFor<T>(strategy: WaitStrategy<T>, options: WaitForOptions = {}): Promise<T> {
  return task(options.onProgress, null, strategy.what, () =>
    waitUntil(() => strategy.probe(options.signal), {
      what: strategy.what,
      timeoutMs: strategy.timeoutMs,
      intervalMs: strategy.intervalMs,
      signal: options.signal,
      clock: options.clock,
    }),
  );
}

/** Every node's systemd has finished booting (`running`, or `degraded`: one failed unit is not ours to judge). */
export function systemdRunning(
  provider: Pick<Provider, 'exec'>,
  spec: Pick<LabSpec, 'nodes'>,
  timeoutMs = 60_000,
): WaitStrategy<void> {
  return {
    what: 'systemd running on every node',
    timeoutMs,
    intervalMs: 500,
    async probe(signal) {
      const states = await Promise.all(
        spec.nodes.map(async (n) => ({
          node: n.name,
          state: (await provider.exec(n.name, ['systemctl', 'is-system-running'], { timeoutMs: 10_000, signal })).stdout.trim(),
        })),
      );
      const booting = states.filter((s) => s.state !== 'running' && s.state !== 'degraded');
      return booting.length === 0
        ? { ok: true, value: undefined }
        : { ok: false, reason: booting.map((s) => `${s.node}: systemd is ${s.state || 'not up yet'}`).join('; ') };
    },
  };
}

export const DEFAULT_HEALTHY_TIMEOUT_MS = 180_000;

/** The lab is healthy (cluster/health.ts): the reason when not is every problem still there. */
export function labHealthy(
  access: LabAccess,
  spec: Pick<LabSpec, 'nodes' | 'patroni'>,
  timeoutMs = DEFAULT_HEALTHY_TIMEOUT_MS,
): WaitStrategy<LabHealth> {
  return {
    what: 'lab healthy',
    timeoutMs,
    intervalMs: 500,
    async probe(signal) {
      const health = await labHealth(access, spec, { signal });
      return health.healthy ? { ok: true, value: health } : { ok: false, reason: health.problems.join('; ') };
    },
  };
}

/** etcd has formed: every node is a member, as the first node's member lists them. */
export function etcdFormed(
  provider: Pick<Provider, 'endpoints'>,
  spec: Pick<LabSpec, 'nodes'>,
  timeoutMs: number,
): WaitStrategy<void> {
  const names = spec.nodes.map((n) => n.name);
  return {
    what: 'etcd cluster formed',
    timeoutMs,
    intervalMs: 1000,
    async probe(signal) {
      try {
        const members = (await etcdMembers((await provider.endpoints(names[0]!)).etcd, 2000, signal)).map((m) => m.name);
        const missing = names.filter((n) => !members.includes(n));
        return missing.length === 0
          ? { ok: true, value: undefined }
          : { ok: false, reason: `not members yet: ${missing.join(', ')}` };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/** An ssh server answers on host:port: a banner starting `SSH-` within 2 s of connecting. */
export function sshAnswers(host: string, port: number, timeoutMs: number): WaitStrategy<void> {
  return {
    what: `ssh on ${host}:${port}`,
    timeoutMs,
    intervalMs: 500,
    probe: () =>
      new Promise((resolve) => {
        const socket = connect({ host, port });
        const done = (ok: boolean, reason: string): void => {
          socket.destroy();
          resolve(ok ? { ok: true, value: undefined } : { ok: false, reason });
        };
        socket.setTimeout(2000, () => done(false, 'no banner within 2 s'));
        socket.once('data', (d) => done(d.toString().startsWith('SSH-'), `not an ssh banner: ${d.toString().slice(0, 40)}`));
        socket.once('error', (e) => done(false, e.message));
      }),
  };
}

export interface BringUpOptions extends WaitForOptions {
  healthyTimeoutMs?: number;
}

/**
 * `lab up` on a generated lab: a lab that is running and healthy is left alone; one that runs but is
 * unhealthy is provisioned again; otherwise the provider creates what is missing. Then the waits.
 */
export async function bringUp(
  provider: Provider,
  ctx: LabContext,
  options: BringUpOptions = {},
): Promise<{ changed: boolean; health: LabHealth }> {
  const { spec } = ctx;
  const access = await LabAccess.forLab(provider, ctx.dir);
  try {
    const running = await provider.running();
    const allRunning = spec.nodes.every((n) => running.includes(n.name));
    const before = allRunning ? await labHealth(access, spec, { signal: options.signal }) : undefined;
    const { changed } = await provider.up({
      signal: options.signal,
      onProgress: options.onProgress,
      reprovision: before !== undefined && !before.healthy,
    });
    if (!changed && before?.healthy) return { changed, health: before };
    await waitFor(systemdRunning(provider, spec), options);
    const health = await waitFor(labHealthy(access, spec, options.healthyTimeoutMs), options);
    return { changed, health };
  } finally {
    await access.close();
  }
}
