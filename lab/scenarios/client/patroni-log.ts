/**
 * Patroni's own account of a run: after the steps, each running node's Patroni journal for the run's
 * window, kept only where it explains a role change (demotions, promotions, DCS errors). Read
 * through the provider's exec, so the same for VMs and containers; bounded in time and lines.
 */
import type { Provider } from '../../providers/provider.js';
import { UNITS } from '../../render/node-layout.js';
import type { LogEvent } from '../history/history.js';

/** Lines that say why a role changed; the rest (the every-loop "no action") stays in the journal. */
const NOTABLE = /demot|leader lock|promot|not accessible|Error communicating with DCS|Unknown error|failover|switchover/i;
const MAX_LINES_PER_NODE = 40;

/**
 * Parses `journalctl -o short-unix` output ("<epoch seconds> <host> patroni[pid]: <message>") into
 * log events timed from `originMs` (the run's t = 0, epoch milliseconds). Pure.
 */
export function parsePatroniJournal(stdout: string, node: string, originMs: number): LogEvent[] {
  const events: LogEvent[] = [];
  for (const raw of stdout.split('\n')) {
    const m = /^(\d+\.\d+) \S+ [^:]+: (.*)$/.exec(raw);
    if (!m || !NOTABLE.test(m[2]!)) continue;
    // Patroni stamps its own lines too ("2026-11-25 21:32:00,857 INFO: ..."): the journal's time is enough.
    const line = m[2]!.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, '');
    events.push({ kind: 'log', t: Math.round(Number(m[1]) * 1000 - originMs), node, source: 'patroni', line });
    if (events.length >= MAX_LINES_PER_NODE) break;
  }
  return events;
}

/** Each running node's notable Patroni lines between originMs and now; a node that cannot be read adds none. */
export async function collectPatroniLog(provider: Pick<Provider, 'exec' | 'running'>, nodes: readonly string[], originMs: number): Promise<LogEvent[]> {
  const running = new Set(await provider.running().catch(() => [] as string[]));
  const since = `@${Math.floor(originMs / 1000)}`;
  const perNode = await Promise.all(
    nodes
      .filter((n) => running.has(n))
      .map(async (node) => {
        const r = await provider.exec(node, ['journalctl', '-u', UNITS.patroni, '--since', since, '-o', 'short-unix', '--no-pager', '-q'], { timeoutMs: 15_000 }).catch(() => undefined);
        return r && r.exitCode === 0 ? parsePatroniJournal(r.stdout, node, originMs) : [];
      }),
  );
  return perNode.flat();
}
