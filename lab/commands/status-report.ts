/**
 * What `lab status` reads of a generated lab and prints: every node's sample (Patroni as `patronictl
 * list` shows it, PostgreSQL, etcd), the health verdict, the entry points, and the faults a scenario
 * left in force (from the lab's fault journal) with the command that heals them.
 */
import { LabAccess, ONE_SHOT_PROBE_TIMEOUT_MS } from '../cluster/access.js';
import { entryPaths, type EntryPath } from '../cluster/entry-paths.js';
import { haproxyServers, type BackendServer } from '../cluster/haproxy.js';
import type { Provider } from '../providers/provider.js';
import { labHealth, type LabHealth } from '../cluster/health.js';
import type { PatroniRole } from '../cluster/patroni.js';
import type { NodeSample } from '../cluster/probe.js';
import type { LabSpec } from '../spec/schema.js';
import { ExitCode } from '../errors.js';
import { createProvider } from '../providers/index.js';
import type { LabContext } from '../labdir/context.js';
import { FaultJournal, type JournalEntry } from '../labdir/fault-journal.js';
import { describeEntry, healCommandLine, inForce, liveEntries } from '../scenarios/faults/journaled.js';
import type { StatusArgs } from './status.js';

/** A boxed table in patronictl's style; numbers are right-aligned. Pure. */
export function renderTable(headers: string[], rows: string[][], title = ''): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const top = title ? `+ ${title} ${rule.slice(title.length + 3)}` : rule;
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (/^\d+$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') + ' |';
  return [top, line(headers), rule, ...rows.map(line), rule].join('\n');
}

const ROLE_LABEL: Record<PatroniRole, string> = {
  primary: 'Leader',
  replica: 'Replica',
  'standby-leader': 'Standby Leader',
  other: 'Other',
};

/** As patronictl says it; a node whose Patroni is silent has no role to show. */
function roleLabel(s: NodeSample, syncStandbys: readonly string[]): string {
  if (s.role === null) return '';
  return s.role === 'replica' && syncStandbys.includes(s.node) ? 'Sync Standby' : ROLE_LABEL[s.role];
}

/** Replication lag in MB as patronictl shows it (bytes in the API); empty for the leader. */
export function lagInMb(sample: Pick<NodeSample, 'role' | 'lag'>): string {
  if (sample.role === 'primary' || sample.role === null) return '';
  return sample.lag === null ? 'unknown' : String(Math.round(sample.lag / 1048576));
}

export function formatStatus(lab: string, spec: Pick<LabSpec, 'nodes'>, health: LabHealth): string {
  const syncStandbys = health.samples.find((s) => s.node === health.leader)?.syncStandbys ?? [];
  const ip = (node: string): string => spec.nodes.find((n) => n.name === node)?.ip ?? '';
  const table = renderTable(
    ['Member', 'Host', 'Role', 'State', 'TL', 'Lag in MB', 'PostgreSQL', 'etcd'],
    health.samples.map((s) => [
      s.node,
      ip(s.node),
      roleLabel(s, syncStandbys),
      s.reachable ? (s.state ?? '') : 'patroni silent',
      s.timeline === null ? '' : String(s.timeline),
      lagInMb(s),
      s.pg,
      `${s.etcd ? 'healthy' : 'unhealthy'}${health.etcdMembers && !health.etcdMembers.includes(s.node) ? ', not a member' : ''}`,
    ]),
    `Cluster: ${lab}`,
  );
  const members = health.etcdMembers
    ? `etcd members: ${health.etcdMembers.map((m) => m || '(added, not started)').join(', ')}`
    : 'etcd: no member answered the member list';
  const verdict = health.healthy
    ? 'healthy: etcd quorum, one leader, every replica streaming'
    : `NOT healthy:\n${health.problems.map((p) => `  - ${p}`).join('\n')}`;
  return `${table}\n${members}\n${verdict}\n`;
}

/** What `lab status` says of a lab none of whose nodes runs, instead of a table of silent nodes. Pure. */
export function formatNotUp(lab: string, provider: string, nodes: number, file: string): string {
  return `lab ${lab} (${provider}) is not up: none of its ${nodes} nodes is running\nbring it up: lab up${file === 'lab.yaml' ? '' : ` -f ${file}`}\n`;
}

/** A journaled fault, with what its node shows of it now and whether the run that injected it still goes. */
export interface FaultStatus {
  entry: JournalEntry;
  seen: string;
  runAlive: boolean;
}

/** Pure. Empty when no fault is journaled. */
export function formatFaults(faults: readonly FaultStatus[], journalFile: string, dir: string): string {
  if (faults.length === 0) return '';
  const line = (f: FaultStatus): string =>
    `  - ${describeEntry(f.entry)}: ${f.seen}${f.runAlive ? '; its scenario is still running and heals it on exit' : ''}`;
  const fix = faults.every((f) => f.runAlive) ? '' : `heal them: ${healCommandLine(dir)}\n`;
  return `FAULTS IN FORCE, journaled in ${journalFile} by a scenario:\n${faults.map(line).join('\n')}\n${fix}`;
}

/** The entry points and, from HAProxy's stats, each listener's servers as its checks see them now. */
export interface EntryStatus {
  paths: EntryPath[];
  servers: BackendServer[];
  /** Why the HAProxy node or its stats could not be read. */
  problem?: string;
}

/** The listener each HAProxy path goes through (haproxy.cfg's names). */
const LISTENER: Partial<Record<EntryPath['name'], string>> = {
  'haproxy-rw': 'primary',
  pgbouncer: 'primary',
  'haproxy-ro': 'standbys',
};

/** Pure. Empty when the lab has no entry points. */
export function formatEntry(status: EntryStatus | null): string {
  if (!status) return '';
  const rows = status.paths.map((p) => {
    const listener = LISTENER[p.name];
    const servers = listener ? status.servers.filter((s) => s.proxy === listener) : [];
    const backends = listener
      ? servers.map((s) => `${s.server} ${s.status}${s.status !== 'UP' && s.check ? ` (${s.check})` : ''}`).join(', ') ||
        '(no stats)'
      : 'libpq tries each node in turn for a read-write session';
    return [
      p.name,
      p.hosts.map((h) => `${h.host}:${h.port}`).join(','),
      p.mode,
      `${p.name === 'pgbouncer' ? 'via HAProxy: ' : ''}${backends}`,
    ];
  });
  const table = renderTable(['Path', 'Host', 'Mode', 'Backends'], rows, 'Entry points');
  return `${table}\n${status.problem ? `entry: ${status.problem}\n` : ''}connection settings: lab env [--json]\n`;
}

/** The entry points at their current host ports, and HAProxy's servers; never throws. */
export async function entryStatus(provider: Provider, spec: LabSpec, access: LabAccess): Promise<EntryStatus | null> {
  const entry = spec.entry;
  if (!entry) return null;
  const nodes = await Promise.all(spec.nodes.map((n) => access.endpoints(n.name).catch(() => null)));
  const known = nodes.filter((n) => n !== null);
  try {
    const haproxy = entry.haproxy ? await provider.entryEndpoints() : null;
    const servers = haproxy ? await haproxyServers(haproxy.stats) : [];
    return { paths: entryPaths(entry, haproxy, known), servers };
  } catch (e) {
    return { paths: entryPaths(entry, null, known), servers: [], problem: `HAProxy did not answer: ${(e as Error).message}` };
  }
}

/** Samples the lab in `ctx` and prints what it found; the exit code says whether it is healthy and free of faults. */
export async function reportStatus(ctx: LabContext, args: Pick<StatusArgs, 'json' | 'file'>): Promise<void> {
  const provider = await createProvider(ctx);
  const running = await provider.running();
  if (running.length === 0) {
    if (args.json)
      process.stdout.write(
        JSON.stringify({ lab: ctx.spec.name, provider: ctx.spec.provider, running, up: false }, null, 2) + '\n',
      );
    else process.stdout.write(formatNotUp(ctx.spec.name, ctx.spec.provider, ctx.spec.nodes.length, args.file));
    process.exitCode = ExitCode.checkFailed;
    return;
  }
  const access = await LabAccess.forLab(provider, ctx.dir, ONE_SHOT_PROBE_TIMEOUT_MS);
  // One after the other: both resolve the nodes' endpoints through the one access.
  const { health, entry } = await (async () => ({
    health: await labHealth(access, ctx.spec),
    entry: await entryStatus(provider, ctx.spec, access),
  }))().finally(() => access.close());
  const journal = new FaultJournal(ctx.dir);
  const entries = await journal.entries();
  const live = new Set(liveEntries(entries).map((e) => e.id));
  const faults: FaultStatus[] = await Promise.all(
    entries.map(async (entry) => ({ entry, seen: await inForce({ provider }, entry), runAlive: live.has(entry.id) })),
  );
  if (args.json) {
    process.stdout.write(
      JSON.stringify({ lab: ctx.spec.name, provider: ctx.spec.provider, running, ...health, entry, faults }, null, 2) + '\n',
    );
  } else {
    process.stdout.write(
      `lab ${ctx.spec.name} (${ctx.spec.provider}): ${running.length} of ${ctx.spec.nodes.length} nodes running\n${formatStatus(ctx.spec.name, ctx.spec, health)}${formatEntry(entry)}${formatFaults(faults, journal.file, ctx.dir)}`,
    );
  }
  if (!health.healthy || faults.length > 0) process.exitCode = ExitCode.checkFailed;
}
