/**
 * No client hangs through HAProxy or PgBouncer while the leader changes: during the suite's switchover
 * and failover, test/fixtures/connect-bound.sh runs as the scenario's `--workload`, one psql after
 * another with no connect timeout of its own through haproxy-rw and pgbouncer, and reports each path's
 * longest try. Every try must end (answered or refused) within the bound the generated configuration
 * promises (docs/entry-points.md): HAProxy gives a new connection a server or an error within
 * (retries + 1) x timeout connect + retries x 1 s = 5 s, PgBouncer a client a server connection or an
 * error within query_wait_timeout = 10 s. A slack covers psql's own start and the statement on a
 * loaded host; a hang, as before the fix, is unbounded and ends the script only at the grace's SIGKILL.
 */
import path from 'node:path';
import type { Test } from 'tap';
import type { RunOptions, RunResult } from '../../lab/scenarios/engine.js';
import type { CommandEvent } from '../../lab/scenarios/history/history.js';
import { ROOT } from '../helpers.js';

const SCRIPT = path.join(ROOT, 'test/fixtures/connect-bound.sh');
const SLACK_MS = 3_000;
export const CONNECT_BOUND_MS = { 'haproxy-rw': 5_000 + SLACK_MS, pgbouncer: 10_000 + SLACK_MS } as const;
/**
 * The scenarios it runs in (the leader changes there), and for how long, in seconds: past the new
 * primary's first answers (a switchover's by about 10 s, a failover's by about 30 s: ttl 20), and its last try
 * (at most a bound) ends within the steps plus the workload's 30 s grace, or the grace would end it.
 */
const CONNECT_BOUND_FOR = { switchover: 20, failover: 45 } as const;
export const CONNECT_BOUND_SCENARIOS = Object.keys(CONNECT_BOUND_FOR);

type Workload = NonNullable<RunOptions['command']>;

/**
 * The suite's workloads with connect-bound.sh added to the switchover and the failover; a scenario that
 * already has a command runs both, and fails when either does.
 */
export function withConnectBound(workloads: Readonly<Record<string, Workload>>): Record<string, Workload> {
  const all: Record<string, Workload> = { ...workloads };
  for (const [scenario, seconds] of Object.entries(CONNECT_BOUND_FOR)) {
    const mine = `CONNECT_BOUND_FOR=${seconds} ${SCRIPT}`;
    const other = workloads[scenario];
    all[scenario] = other
      ? { line: `${other.line} & other=$!; ${mine}; mine=$?; wait $other && [ $mine -eq 0 ]`, graceMs: other.graceMs }
      : { line: mine, graceMs: 30_000 };
  }
  return all;
}

/** "connect-bound haproxy-rw: 120 tries, 118 ok, longest 2345 ms" from the command's last lines. Pure. */
export function connectBoundLines(tail: readonly string[]): Map<string, { tries: number; ok: number; longestMs: number }> {
  const found = new Map<string, { tries: number; ok: number; longestMs: number }>();
  for (const line of tail) {
    const m = /^connect-bound (\S+): (\d+) tries, (\d+) ok, longest (\d+) ms$/.exec(line.trim());
    if (m) found.set(m[1]!, { tries: Number(m[2]), ok: Number(m[3]), longestMs: Number(m[4]) });
  }
  return found;
}

export function assertConnectBound(t: Test, scenario: string, result: RunResult): void {
  if (!CONNECT_BOUND_SCENARIOS.includes(scenario)) return;
  const end = result.history.events.find((e): e is CommandEvent => e.kind === 'command' && e.phase === 'end');
  t.ok(end, 'the connect-bound workload ran');
  if (!end) return;
  t.equal(
    end.killed,
    undefined,
    'every psql of the connect-bound workload returned by itself (none hung until the grace ended it)',
    { tail: end.tail },
  );
  const lines = connectBoundLines(end.tail ?? []);
  for (const [name, boundMs] of Object.entries(CONNECT_BOUND_MS)) {
    const seen = lines.get(name);
    t.ok(seen && seen.tries > 0, `connect-bound: psql tried through ${name}`, { tail: end.tail });
    if (!seen) continue;
    t.ok(seen.ok > 0, `${name}: ${seen.ok} of ${seen.tries} tries answered`);
    t.ok(seen.longestMs <= boundMs, `${name}: the longest try took ${seen.longestMs} ms, within ${boundMs} ms`);
  }
}
