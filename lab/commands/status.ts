/**
 * `lab status`: the Patroni members as `patronictl list` shows them, etcd's member health, and the
 * faults a scenario left in force (from the lab's fault journal) with the command that heals them.
 */
import type { CommandModule } from 'yargs';
import { labHealth, type LabHealth, type MemberStatus } from '../cluster/health.js';
import { ExitCode } from '../errors.js';
import { createProvider } from '../providers/index.js';
import { generatedContext } from '../labdir/context.js';
import { FaultJournal, type JournalEntry } from '../labdir/fault-journal.js';
import { describeEntry, healCommandLine, inForce, liveEntries } from '../scenarios/journaled-faults.js';
import type { GlobalArgs } from './options.js';

interface StatusArgs extends GlobalArgs {
  json: boolean;
}

/** A boxed table in patronictl's style; numbers are right-aligned. Pure. */
export function renderTable(headers: string[], rows: string[][], title = ''): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const top = title ? `+ ${title} ${rule.slice(title.length + 3)}` : rule;
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => (/^\d+$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') + ' |';
  return [top, line(headers), rule, ...rows.map(line), rule].join('\n');
}

const ROLE_LABEL: Record<MemberStatus['role'], string> = { primary: 'Leader', replica: 'Replica', 'standby-leader': 'Standby Leader', other: 'Other' };
/** As patronictl says it. */
const roleLabel = (m: MemberStatus): string => (m.syncStandby ? 'Sync Standby' : ROLE_LABEL[m.role]);

/** Replication lag in MB as patronictl shows it (bytes in the API); empty for the leader. */
export function lagInMb(member: Pick<MemberStatus, 'role' | 'lag'>): string {
  if (member.role === 'primary') return '';
  return member.lag === null ? 'unknown' : String(Math.round(member.lag / 1048576));
}

export function formatStatus(lab: string, health: LabHealth): string {
  const members = renderTable(
    ['Member', 'Host', 'Role', 'State', 'TL', 'Lag in MB'],
    health.members.map((m) => [m.name, m.host, roleLabel(m), m.state, m.timeline === null ? '' : String(m.timeline), lagInMb(m)]),
    `Cluster: ${lab}`,
  );
  const etcd = renderTable(
    ['etcd member', 'Endpoint', 'Health', 'Took'],
    health.etcd.members.map((m) => [m.node ?? '?', m.endpoint, m.healthy ? 'healthy' : `unhealthy${m.error ? `: ${m.error}` : ''}`, m.took ?? '']),
  );
  const verdict = health.healthy ? 'healthy: etcd quorum, one leader, every replica streaming' : `NOT healthy:\n${health.problems.map((p) => `  - ${p}`).join('\n')}`;
  return `${health.members.length > 0 ? members : 'Patroni: no member answered'}\n${health.etcd.members.length > 0 ? etcd : `etcd: ${health.etcd.error ?? 'no answer'}`}\n${verdict}\n`;
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
  const line = (f: FaultStatus): string => `  - ${describeEntry(f.entry)}: ${f.seen}${f.runAlive ? '; its scenario is still running and heals it on exit' : ''}`;
  const fix = faults.every((f) => f.runAlive) ? '' : `heal them: ${healCommandLine(dir)}\n`;
  return `FAULTS IN FORCE, journaled in ${journalFile} by a scenario:\n${faults.map(line).join('\n')}\n${fix}`;
}

export const statusCommand: CommandModule<GlobalArgs, StatusArgs> = {
  command: 'status',
  describe: 'Show the Patroni members (like patronictl list), etcd member health and faults left in force; exit 1 when not healthy or a fault is in force',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of tables' }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const provider = createProvider(ctx);
    const running = await provider.running();
    const health = await labHealth(provider, ctx.spec);
    const journal = new FaultJournal(ctx.dir);
    const entries = await journal.entries();
    const live = new Set(liveEntries(entries).map((e) => e.id));
    const faults: FaultStatus[] = await Promise.all(entries.map(async (entry) => ({ entry, seen: await inForce({ provider }, entry), runAlive: live.has(entry.id) })));
    if (args.json) {
      process.stdout.write(JSON.stringify({ lab: ctx.spec.name, provider: ctx.spec.provider, running, ...health, faults }, null, 2) + '\n');
    } else {
      process.stdout.write(`lab ${ctx.spec.name} (${ctx.spec.provider}): ${running.length} of ${ctx.spec.nodes.length} nodes running\n${formatStatus(ctx.spec.name, health)}${formatFaults(faults, journal.file, ctx.dir)}`);
    }
    if (!health.healthy || faults.length > 0) process.exitCode = ExitCode.checkFailed;
  },
};
