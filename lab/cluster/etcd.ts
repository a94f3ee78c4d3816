/**
 * etcd member health, asked from inside a node (`etcdctl endpoint health --cluster`), so it works
 * the same for VMs and containers and never dials a lab address from the host.
 */
import type { Provider } from '../providers/provider.js';
import { SERVICE_PORTS } from '../render/ports.js';
import type { LabSpec } from '../spec/schema.js';

export interface EtcdMemberHealth {
  /** The node whose client URL this is, when the URL matches a node's address. */
  node: string | undefined;
  endpoint: string;
  healthy: boolean;
  took?: string;
  error?: string;
}

export interface EtcdHealth {
  /** Which node answered; undefined when none did. */
  askedNode: string | undefined;
  members: EtcdMemberHealth[];
  /** Why no member list could be had, when none could. */
  error?: string;
}

const ETCDCTL = ['env', 'ETCDCTL_API=3', 'etcdctl', `--endpoints=http://127.0.0.1:${SERVICE_PORTS.etcd}`, '--dial-timeout=2s', '--command-timeout=3s'];

/** Parses `etcdctl endpoint health -w json` (etcd 3.4+: an array of {endpoint, health, took, error}). */
export function parseEndpointHealth(stdout: string, spec: Pick<LabSpec, 'nodes'>): EtcdMemberHealth[] | undefined {
  const start = stdout.indexOf('[');
  if (start < 0) return undefined;
  let rows: { endpoint?: string; health?: boolean; took?: string; error?: string }[];
  try {
    rows = JSON.parse(stdout.slice(start)) as typeof rows;
  } catch {
    return undefined;
  }
  return rows
    .map((r) => {
      const endpoint = r.endpoint ?? '';
      const host = endpoint.replace(/^\w+:\/\//, '').replace(/:\d+$/, '');
      const member: EtcdMemberHealth = { node: spec.nodes.find((n) => n.ip === host)?.name, endpoint, healthy: r.health === true };
      if (r.took) member.took = r.took;
      if (r.error) member.error = r.error;
      return member;
    })
    .sort((a, b) => (a.node ?? a.endpoint).localeCompare(b.node ?? b.endpoint));
}

/** Asks each running node in turn until one's etcd lists the cluster's members. */
export async function etcdHealth(provider: Pick<Provider, 'exec' | 'running'>, spec: Pick<LabSpec, 'nodes'>, signal?: AbortSignal): Promise<EtcdHealth> {
  const running = await provider.running();
  let error = 'no node is running';
  for (const node of spec.nodes.filter((n) => running.includes(n.name))) {
    const r = await provider.exec(node.name, [...ETCDCTL, 'endpoint', 'health', '--cluster', '-w', 'json'], { timeoutMs: 15_000, signal });
    // etcdctl exits non-zero when any member is unhealthy, and still prints every member's row.
    const members = parseEndpointHealth(r.stdout, spec);
    if (members && members.length > 0) return { askedNode: node.name, members };
    error = `${node.name}: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? `etcdctl exit ${r.exitCode}`}`;
  }
  return { askedNode: undefined, members: [], error };
}

/** Every node of the spec has a healthy etcd member. */
export function etcdProblems(health: EtcdHealth, spec: Pick<LabSpec, 'nodes'>): string[] {
  if (health.members.length === 0) return [`etcd: no member list (${health.error ?? 'no answer'})`];
  return spec.nodes.flatMap((n) => {
    const m = health.members.find((x) => x.node === n.name);
    if (!m) return [`etcd: ${n.name} is not a member`];
    return m.healthy ? [] : [`etcd: ${n.name} unhealthy${m.error ? ` (${m.error})` : ''}`];
  });
}
