/**
 * Lab health, judged from the outside: every etcd member healthy, exactly one Patroni leader, and
 * every other node a replica the leader sees streaming. Also the bounded wait used by `lab up` and
 * the scenarios: every wait has a deadline, a poll count that follows from it, and an AbortSignal.
 */
import { LabError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { LabSpec } from '../spec/schema.js';
import { etcdHealth, etcdProblems, type EtcdHealth } from './etcd.js';

export type Probe<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface WaitOptions {
  /** Names what is awaited, for the timeout message ("the lab to become healthy"). */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

export class WaitTimeoutError extends LabError {
  constructor(what: string, timeoutMs: number, readonly lastReason: string) {
    super(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}: ${lastReason}`);
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Polls probe until it reports ok or the deadline passes. A probe that throws counts as "not yet"
 * (services refuse connections while they start), except when the signal aborted it.
 */
export async function waitUntil<T>(probe: () => Promise<Probe<T>>, options: WaitOptions): Promise<T> {
  const interval = options.intervalMs ?? 1000;
  const deadline = Date.now() + options.timeoutMs;
  const maxAttempts = Math.ceil(options.timeoutMs / interval) + 1;
  let reason = 'not checked yet';
  for (let attempt = 0; attempt < maxAttempts && Date.now() <= deadline; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const result = await probe();
      if (result.ok) return result.value;
      reason = result.reason;
    } catch (e) {
      options.signal?.throwIfAborted();
      reason = e instanceof Error ? e.message : String(e);
    }
    await sleep(Math.max(0, Math.min(interval, deadline - Date.now())), options.signal);
  }
  throw new WaitTimeoutError(options.what, options.timeoutMs, reason);
}

// Until lab/cluster/patroni.ts lands, the two REST calls health needs are made here.
export interface PatroniMember {
  name: string;
  host: string;
  /** Normalized: Patroni says leader, master or primary depending on version and endpoint. */
  role: 'leader' | 'replica' | 'standby_leader' | string;
  state: string;
  timeline?: number;
  /** Replication lag in bytes, or 'unknown'. */
  lag?: number | string;
}

const LEADER_ROLES = new Set(['leader', 'master', 'primary']);
export const normalizeRole = (role: string): string => (LEADER_ROLES.has(role) ? 'leader' : role === 'sync_standby' ? 'replica' : role);

async function getJson(port: number, path: string, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(3000);
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  // Patroni answers 503 with a JSON body on some health endpoints; the body is what matters here.
  return response.json();
}

interface ClusterView {
  members: PatroniMember[];
  /** Names of the members the leader reports as streaming from it. */
  streaming: string[];
}

/** Patroni's /cluster from the first node that answers, and the leader's replication list. */
export async function patroniView(provider: Pick<Provider, 'endpoints' | 'running'>, spec: Pick<LabSpec, 'nodes'>, signal?: AbortSignal): Promise<ClusterView> {
  const running = new Set(await provider.running());
  const ports = new Map<string, number>();
  for (const n of spec.nodes.filter((x) => running.has(x.name))) ports.set(n.name, (await provider.endpoints(n.name)).patroni.port);
  let lastError = 'no node is running';
  for (const [node, port] of ports) {
    let cluster: { members?: Record<string, unknown>[] };
    try {
      cluster = (await getJson(port, '/cluster', signal)) as typeof cluster;
    } catch (e) {
      signal?.throwIfAborted();
      lastError = `${node}: Patroni REST API not answering (${e instanceof Error ? e.message : String(e)})`;
      continue;
    }
    const members = (cluster.members ?? []).map(
      (m): PatroniMember => ({
        name: String(m.name),
        host: String(m.host ?? ''),
        role: normalizeRole(String(m.role ?? '')),
        state: String(m.state ?? ''),
        ...(typeof m.timeline === 'number' ? { timeline: m.timeline } : {}),
        ...(m.lag !== undefined ? { lag: m.lag as number | string } : {}),
      }),
    );
    const leader = members.find((m) => m.role === 'leader');
    const leaderPort = leader && ports.get(leader.name);
    let streaming: string[] = [];
    if (leaderPort) {
      const status = (await getJson(leaderPort, '/patroni', signal).catch(() => ({}))) as { replication?: { application_name?: string; state?: string }[] };
      streaming = (status.replication ?? []).filter((r) => r.state === 'streaming').map((r) => String(r.application_name));
    }
    return { members: members.sort((a, b) => a.name.localeCompare(b.name)), streaming };
  }
  throw new LabError(`no Patroni member answered: ${lastError}`);
}

/** What keeps a Patroni cluster view from being healthy; empty when it is. Pure. */
export function patroniProblems(view: ClusterView, spec: Pick<LabSpec, 'nodes'>): string[] {
  const leaders = view.members.filter((m) => m.role === 'leader');
  const problems: string[] = [];
  if (leaders.length !== 1) problems.push(`patroni: ${leaders.length} leaders (${leaders.map((l) => l.name).join(', ') || 'none'}), expected exactly one`);
  for (const node of spec.nodes) {
    const member = view.members.find((m) => m.name === node.name);
    if (!member) problems.push(`patroni: ${node.name} is not a member`);
    else if (member.role === 'leader') continue;
    // Patroni 3.0 says `running` for a replica whatever its WAL receiver does: the leader's view decides.
    else if (member.role !== 'replica') problems.push(`patroni: ${node.name} is ${member.role}/${member.state}`);
    else if (!view.streaming.includes(node.name) && member.state !== 'streaming') problems.push(`patroni: ${node.name} is not streaming from the leader (${member.state})`);
  }
  return problems;
}

export interface LabHealth {
  healthy: boolean;
  etcd: EtcdHealth;
  members: PatroniMember[];
  streaming: string[];
  problems: string[];
}

export async function labHealth(provider: Pick<Provider, 'exec' | 'endpoints' | 'running'>, spec: Pick<LabSpec, 'nodes'>, signal?: AbortSignal): Promise<LabHealth> {
  const etcd = await etcdHealth(provider, spec, signal);
  let view: ClusterView = { members: [], streaming: [] };
  const problems = etcdProblems(etcd, spec);
  try {
    view = await patroniView(provider, spec, signal);
    problems.push(...patroniProblems(view, spec));
  } catch (e) {
    signal?.throwIfAborted();
    problems.push(e instanceof Error ? e.message : String(e));
  }
  return { healthy: problems.length === 0, etcd, ...view, problems };
}

/** Waits for labHealth to be healthy; the timeout error names what was still wrong. */
export function waitHealthy(
  provider: Pick<Provider, 'exec' | 'endpoints' | 'running'>,
  spec: Pick<LabSpec, 'nodes'>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<LabHealth> {
  return waitUntil(
    async () => {
      const health = await labHealth(provider, spec, options.signal);
      return health.healthy ? { ok: true, value: health } : { ok: false, reason: health.problems.join('; ') };
    },
    { what: 'the lab to become healthy', intervalMs: 1000, ...options },
  );
}
