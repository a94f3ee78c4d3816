/**
 * Bringing a lab up is the provider's `up` (machines created, booted and provisioned) followed by
 * waits the caller composes, as testcontainers composes wait strategies: systemd running on every
 * node, then the lab healthy, each with its own timeout and each shown as a progress task.
 */
import { waitUntil, type Clock, type Probe } from '../clock.js';
import type { ProgressListener, Provider } from '../providers/provider.js';
import { task } from '../providers/tasks.js';
import type { LabSpec } from '../spec/schema.js';
import type { LabContext } from '../labdir/context.js';
import { LabAccess } from './access.js';
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
    waitUntil(() => strategy.probe(options.signal), { what: strategy.what, timeoutMs: strategy.timeoutMs, intervalMs: strategy.intervalMs, signal: options.signal, clock: options.clock }),
  );
}

/** Every node's systemd has finished booting (`running`, or `degraded`: one failed unit is not ours to judge). */
export function systemdRunning(provider: Pick<Provider, 'exec'>, spec: Pick<LabSpec, 'nodes'>, timeoutMs = 60_000): WaitStrategy<void> {
  return {
    what: 'systemd running on every node',
    timeoutMs,
    intervalMs: 500,
    async probe(signal) {
      const states = await Promise.all(
        spec.nodes.map(async (n) => ({ node: n.name, state: (await provider.exec(n.name, ['systemctl', 'is-system-running'], { timeoutMs: 10_000, signal })).stdout.trim() })),
      );
      const booting = states.filter((s) => s.state !== 'running' && s.state !== 'degraded');
      return booting.length === 0 ? { ok: true, value: undefined } : { ok: false, reason: booting.map((s) => `${s.node}: systemd is ${s.state || 'not up yet'}`).join('; ') };
    },
  };
}

export const DEFAULT_HEALTHY_TIMEOUT_MS = 180_000;

/** The lab is healthy (cluster/health.ts): the reason when not is every problem still there. */
export function labHealthy(access: LabAccess, spec: Pick<LabSpec, 'nodes' | 'patroni'>, timeoutMs = DEFAULT_HEALTHY_TIMEOUT_MS): WaitStrategy<LabHealth> {
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

export interface BringUpOptions extends WaitForOptions {
  healthyTimeoutMs?: number;
}

/**
 * `lab up` on a generated lab: a lab that is running and healthy is left alone; one that runs but is
 * unhealthy is provisioned again; otherwise the provider creates what is missing. Then the waits.
 */
export async function bringUp(provider: Provider, ctx: LabContext, options: BringUpOptions = {}): Promise<{ changed: boolean; health: LabHealth }> {
  const { spec } = ctx;
  const access = await LabAccess.forLab(provider, ctx.dir);
  try {
    const running = await provider.running();
    const allRunning = spec.nodes.every((n) => running.includes(n.name));
    const before = allRunning ? await labHealth(access, spec, { signal: options.signal }) : undefined;
    const { changed } = await provider.up({ signal: options.signal, onProgress: options.onProgress, reprovision: before !== undefined && !before.healthy });
    if (!changed && before?.healthy) return { changed, health: before };
    await waitFor(systemdRunning(provider, spec), options);
    const health = await waitFor(labHealthy(access, spec, options.healthyTimeoutMs), options);
    return { changed, health };
  } finally {
    await access.close();
  }
}
