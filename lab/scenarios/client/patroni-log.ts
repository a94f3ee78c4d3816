/**
 * The services' own account of a run, read after the steps from their journals for the run's window:
 * each running node's Patroni, kept only where it explains a role change (demotions, promotions, DCS
 * errors), and HAProxy's server state changes (marked up or down, and why). journald stamps each line
 * to the microsecond, so these order the points of a downtime finer than the sampler's 250 ms. Read
 * through the provider's exec, so the same for VMs and containers; bounded in time and lines.
 */
import type { Provider } from '../../providers/provider.js';
import { UNITS } from '../../render/node-layout.js';
import type { LogEvent } from '../history/history.js';

/** Patroni lines that say why a role changed; the rest (the every-loop "no action") stays in the journal. */
const PATRONI_NOTABLE =
  /demot|leader lock|promot|session lock|not accessible|Error communicating with DCS|Unknown error|failover|switchover|ready to accept/i;
/** HAProxy's own state changes: "Server primary/node2 is UP, reason: ...", and its (re)starts. */
const HAPROXY_NOTABLE = /Server \S+\/\S+ is (UP|DOWN)|Started|Stopped|Loading success/;
const MAX_LINES_PER_NODE = 40;
const HAPROXY_UNIT = 'haproxy.service';

/**
 * Parses `journalctl -o short-unix` output ("<epoch seconds> <host> <ident>[pid]: <message>") into
 * log events timed from `originMs` (the run's t = 0, epoch milliseconds), keeping the lines `notable`
 * matches. Pure.
 */
export function parseJournal(
  stdout: string,
  node: string,
  originMs: number,
  source: LogEvent['source'],
  notable: RegExp,
  maxLines = MAX_LINES_PER_NODE,
): LogEvent[] {
  const events: LogEvent[] = [];
  for (const raw of stdout.split('\n')) {
    const m = /^(\d+\.\d+) \S+ [^:]+: (.*)$/.exec(raw);
    if (!m || !notable.test(m[2]!)) continue;
    // Patroni stamps its own lines too ("2026-11-25 21:32:00,857 INFO: ..."): the journal's time is enough.
    const line = m[2]!.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, '');
    events.push({ kind: 'log', t: Math.round(Number(m[1]) * 1000 - originMs), node, source, line });
    if (events.length >= maxLines) break;
  }
  return events;
}

export const parsePatroniJournal = (stdout: string, node: string, originMs: number): LogEvent[] =>
  parseJournal(stdout, node, originMs, 'patroni', PATRONI_NOTABLE);

/** A unit's journal on `node` since originMs; undefined when it cannot be read. */
async function journal(
  provider: Pick<Provider, 'exec'>,
  node: string,
  unit: string,
  originMs: number,
): Promise<string | undefined> {
  const since = `@${Math.floor(originMs / 1000)}`;
  const r = await provider
    .exec(node, ['journalctl', '-u', unit, '--since', since, '-o', 'short-unix', '--no-pager', '-q'], { timeoutMs: 15_000 })
    .catch(() => undefined);
  return r && r.exitCode === 0 ? r.stdout : undefined;
}

/** Each running node's notable Patroni lines between originMs and now; a node that cannot be read adds none. */
export async function collectPatroniLog(
  provider: Pick<Provider, 'exec' | 'running'>,
  nodes: readonly string[],
  originMs: number,
): Promise<LogEvent[]> {
  const running = new Set(await provider.running().catch(() => [] as string[]));
  const perNode = await Promise.all(
    nodes
      .filter((n) => running.has(n))
      .map(async (node) => {
        const text = await journal(provider, node, UNITS.patroni, originMs);
        return text === undefined ? [] : parsePatroniJournal(text, node, originMs);
      }),
  );
  return perNode.flat();
}

/**
 * HAProxy's server state changes on its node between originMs and now (none when it cannot be read).
 * Its journal, not the stats page: the stats page gives a state and `lastchg` in whole seconds, and
 * polling it every 250 ms dates a change up to 250 ms late.
 */
export async function collectHaproxyLog(
  provider: Pick<Provider, 'exec' | 'runningEntry'>,
  originMs: number,
): Promise<LogEvent[]> {
  const node = await provider.runningEntry().catch(() => null);
  if (!node) return [];
  const text = await journal(provider, node, HAPROXY_UNIT, originMs);
  // A run with many faults has many state changes: three servers on two listeners, each down and up.
  return text === undefined ? [] : parseJournal(text, node, originMs, 'haproxy', HAPROXY_NOTABLE, 400);
}
