/**
 * What a `wait:` or `hold:` step waits for, judged on samples taken since the step began.
 * Each condition says whether it holds now and, when not, why (the reason a timed-out wait reports).
 */
import type { Provider } from '../providers/provider.js';
import type { HistoryEvent } from './history/history.js';
import { describeSample, healthProblems } from '../cluster/health.js';
import { streamsFrom } from '../cluster/probe.js';
import { completedWritesSince, currentLeader, viewSince, writableNodes, type LiveView } from './history/live.js';
import type { Roster } from './targets.js';

export interface ConditionContext {
  events: readonly HistoryEvent[];
  nodes: readonly string[];
  /** Only samples and writes from this time on count. */
  since: number;
  roster: Roster;
  /** The step's resolved target, for conditions about one node. */
  target?: string;
  provider: Pick<Provider, 'bootMarker'>;
  /** Each node's boot marker when the roster was taken. */
  bootMarkers: ReadonlyMap<string, string>;
  /** The lab runs Patroni's synchronous_mode: only a synchronous standby may be promoted. */
  synchronousMode: boolean;
}

/** `pending`: not every node has been sampled since the step began, so nothing can be said yet. */
export type Verdict = { ok: true; detail: string } | { ok: false; reason: string; pending?: true };

export interface ConditionDefinition {
  name: string;
  describe: string;
  /** Node the condition is about when the step names no target. */
  defaultTarget?: string;
  /** Compares with the previous leader: the roles must be fixed (the roster taken) before it is judged. */
  needsRoster?: true;
  evaluate(ctx: ConditionContext, view: LiveView): Promise<Verdict> | Verdict;
}

const no = (reason: string): Verdict => ({ ok: false, reason });
const yes = (detail: string): Verdict => ({ ok: true, detail });

const describeNode = (view: LiveView, node: string): string => describeSample(view.latest.get(node), node);

function oneLeader(view: LiveView): { node: string; timeline: number | null } | string {
  const writable = writableNodes(view);
  if (writable.length === 1) return { node: writable[0]!.node, timeline: writable[0]!.timeline };
  return writable.length === 0
    ? 'no node accepts writes'
    : `${writable
        .map((s) => s.node)
        .sort()
        .join(' and ')} accept writes at once`;
}

export const CONDITIONS: Readonly<Record<string, ConditionDefinition>> = Object.fromEntries(
  (
    [
      {
        name: 'healthy',
        describe:
          "the lab is healthy as `lab status` judges it: one leader accepting writes, every other node streaming from it (in the leader's pg_stat_replication), every etcd member healthy; " +
          'with synchronous_mode, a synchronous standby named (otherwise no failover could promote anyone)',
        evaluate(ctx, view) {
          const { problems, leader } = healthProblems({
            nodes: ctx.nodes,
            samples: view.latest,
            synchronousMode: ctx.synchronousMode,
          });
          if (problems.length > 0 || !leader) return no(problems.join('; '));
          return yes(
            `${leader.node} leads on timeline ${leader.timeline}${ctx.synchronousMode ? `, synchronous standby ${leader.syncStandbys!.join(', ')}` : ''}`,
          );
        },
      },
      {
        name: 'leader',
        describe: 'exactly one node accepts writes',
        evaluate: (_ctx, view) => {
          const leader = oneLeader(view);
          return typeof leader === 'string' ? no(leader) : yes(`${leader.node} accepts writes`);
        },
      },
      {
        name: 'new-leader',
        describe: 'exactly one node accepts writes, and it is not the previous leader',
        needsRoster: true,
        evaluate(ctx, view) {
          const leader = oneLeader(view);
          if (typeof leader === 'string') return no(leader);
          return leader.node === ctx.roster.leader
            ? no(`${leader.node} still leads`)
            : yes(`${leader.node} took over on timeline ${leader.timeline}`);
        },
      },
      {
        name: 'leader-unchanged',
        describe: 'the previous leader is the one node accepting writes',
        needsRoster: true,
        evaluate(ctx, view) {
          const leader = oneLeader(view);
          if (typeof leader === 'string') return no(leader);
          return leader.node === ctx.roster.leader
            ? yes(`${leader.node} still leads`)
            : no(`${leader.node} leads instead of ${ctx.roster.leader}`);
        },
      },
      {
        name: 'no-primary',
        describe: 'no node accepts writes (e.g. the leader demoted itself)',
        evaluate: (_ctx, view) => {
          const writable = writableNodes(view);
          return writable.length === 0
            ? yes('no node accepts writes')
            : no(writable.map((s) => describeNode(view, s.node)).join('; '));
        },
      },
      {
        name: 'rejoined',
        describe:
          "the target (default previous-leader) streams from the leader on its timeline (in the leader's pg_stat_replication)",
        defaultTarget: 'previous-leader',
        evaluate(ctx, view) {
          const leader = currentLeader(view);
          const s = view.latest.get(ctx.target!)!;
          if (!leader) return no('no node accepts writes');
          if (leader.node === ctx.target) return no(`${ctx.target} leads`);
          return streamsFrom(s, leader)
            ? yes(`${ctx.target} streams from ${leader.node} on timeline ${s.timeline}`)
            : no(`${describeNode(view, ctx.target!)}; ${leader.node} streams to ${leader.streaming?.join(', ') || 'nobody'}`);
        },
      },
      {
        name: 'demoted',
        describe:
          'the target (default previous-leader) finished stepping down: its Patroni answers with a role other than primary and its PostgreSQL takes no writes',
        defaultTarget: 'previous-leader',
        evaluate(ctx, view) {
          const s = view.latest.get(ctx.target!)!;
          return s.reachable && s.role !== 'primary' && s.pg !== 'primary'
            ? yes(`${ctx.target} is ${s.role}/${s.state}`)
            : no(describeNode(view, ctx.target!));
        },
      },
      {
        name: 'writes-ok',
        describe: 'the latest write since the step began was acknowledged',
        evaluate(ctx) {
          const done = completedWritesSince(ctx.events, ctx.since);
          const last = done[done.length - 1];
          if (!last) return no('no write completed yet');
          if (last.phase === 'ok') return yes(`write ${last.seq} acknowledged by ${last.node}`);
          return no(
            `write ${last.seq} on ${last.node} ${last.phase === 'fail' ? 'failed' : 'has an unknown outcome'} (${last.errorClass ?? 'other'}): ${last.error ?? ''}`,
          );
        },
      },
      {
        name: 'restart-pending',
        describe:
          'every node shows a restart pending (Patroni: a changed parameter such as max_connections waits for a restart of PostgreSQL)',
        evaluate(ctx, view) {
          const waiting = ctx.nodes.filter((n) => view.latest.get(n)!.pendingRestart !== true);
          return waiting.length === 0
            ? yes('a restart is pending on every node')
            : no(`no restart pending on ${waiting.join(', ')}`);
        },
      },
      {
        name: 'node-reset',
        describe:
          'the target (default previous-leader) was reset: its boot marker changed (VM boot id; container start time and restart count)',
        defaultTarget: 'previous-leader',
        async evaluate(ctx) {
          const before = ctx.bootMarkers.get(ctx.target!);
          // A VM's boot id is read over ssh, which fails while the machine reboots: not yet, not an error.
          const now = await ctx.provider
            .bootMarker(ctx.target!)
            .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
          if (now instanceof Error) return no(`${ctx.target} cannot be asked for its boot marker (rebooting?): ${now.message}`);
          return now.marker !== before
            ? yes(`${ctx.target} was reset (${before} -> ${now.marker})`)
            : no(`${ctx.target} has not been reset (${now.marker})`);
        },
      },
    ] satisfies ConditionDefinition[]
  ).map((c) => [c.name, c]),
);

/** Evaluates a condition on fresh samples; until every node has one, the answer is "not yet". */
export async function evaluateCondition(name: string, ctx: ConditionContext): Promise<Verdict> {
  const view = viewSince(ctx.events, ctx.nodes, ctx.since);
  if (!view.complete)
    return {
      ok: false,
      pending: true,
      reason: `waiting for fresh samples of ${ctx.nodes.filter((n) => !view.latest.has(n)).join(', ')}`,
    };
  return CONDITIONS[name]!.evaluate(ctx, view);
}
