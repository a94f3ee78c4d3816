/** `lab status`: every node's sample (Patroni as `patronictl list` shows it, PostgreSQL, etcd) and the health verdict. */
import type { CommandModule } from 'yargs';
import { LabAccess } from '../cluster/access.js';
import { labHealth, type LabHealth } from '../cluster/health.js';
import type { PatroniRole } from '../cluster/patroni.js';
import type { NodeSample } from '../cluster/probe.js';
import type { LabSpec } from '../spec/schema.js';
import { ExitCode } from '../errors.js';
import { createProvider } from '../providers/index.js';
import { generatedContext } from '../labdir/context.js';
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

const ROLE_LABEL: Record<PatroniRole, string> = { primary: 'Leader', replica: 'Replica', 'standby-leader': 'Standby Leader', other: 'Other' };

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
  const members = health.etcdMembers ? `etcd members: ${health.etcdMembers.map((m) => m || '(added, not started)').join(', ')}` : 'etcd: no member answered the member list';
  const verdict = health.healthy ? 'healthy: etcd quorum, one leader, every replica streaming' : `NOT healthy:\n${health.problems.map((p) => `  - ${p}`).join('\n')}`;
  return `${table}\n${members}\n${verdict}\n`;
}

export const statusCommand: CommandModule<GlobalArgs, StatusArgs> = {
  command: 'status',
  describe: 'Show the Patroni members (like patronictl list) and etcd member health; exit 1 when not healthy',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of tables' }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const provider = createProvider(ctx);
    const running = await provider.running();
    const access = await LabAccess.forLab(provider, ctx.dir);
    const health = await labHealth(access, ctx.spec).finally(() => access.close());
    if (args.json) {
      process.stdout.write(JSON.stringify({ lab: ctx.spec.name, provider: ctx.spec.provider, running, ...health }, null, 2) + '\n');
    } else {
      process.stdout.write(`lab ${ctx.spec.name} (${ctx.spec.provider}): ${running.length} of ${ctx.spec.nodes.length} nodes running\n${formatStatus(ctx.spec.name, ctx.spec, health)}`);
    }
    if (!health.healthy) process.exitCode = ExitCode.checkFailed;
  },
};
