/**
 * What the scenario suite asserts about the entry points on a lab with an `entry:` section: the report's
 * per-path downtime agrees with the History it was computed from, and after a change of leader HAProxy
 * routes writes to the new primary (its read-write listener has exactly that server UP, and writes
 * through it are acknowledged afterwards). Recomputed here from the raw `op` and `haproxy` events, not
 * through path-figures.ts, so a mistake there cannot agree with itself.
 */
import type { Test } from 'tap';
import type { RunResult } from '../../lab/scenarios/engine.js';
import type { HaproxyEvent, OpEvent } from '../../lab/scenarios/history/history.js';

/** The scenarios whose leader changes: there, each read-write path must have come back. */
export const LEADER_CHANGES = new Set(['failover', 'switchover']);

export function assertEntryPaths(t: Test, scenario: string, result: RunResult): void {
  const { history, figures } = result;
  const faultAt = figures.faultAt;
  const ops = history.events.filter((e): e is OpEvent => e.kind === 'op');
  t.ok(ops.length > 0, 'the entry-point clients recorded operations');
  for (const p of figures.paths) {
    const mine = ops.filter((o) => o.path === p.path);
    const counted = mine.some((o) => o.op === 'write') ? mine.filter((o) => o.op === 'write') : mine;
    const okAt = counted.filter((o) => o.phase === 'ok').map((o) => o.t).sort((a, b) => a - b);
    if (faultAt === null || p.downtimeFrom === null || p.downtimeTo === null) continue;
    // The gap the report names really is one: an ok at each end and none inside.
    t.ok(okAt.includes(p.downtimeTo), `${p.path}: the downtime ends at an acknowledged operation (${p.downtimeTo} ms)`);
    t.ok(p.downtimeFrom === faultAt || okAt.includes(p.downtimeFrom), `${p.path}: it starts at one, or at the fault`);
    t.equal(okAt.filter((at) => at > p.downtimeFrom! && at < p.downtimeTo!).length, 0, `${p.path}: no acknowledged operation inside it`);
    t.equal(p.downtimeMs, p.downtimeTo - p.downtimeFrom, `${p.path}: downtime ${p.downtimeMs} ms = first ok after - last ok before`);
    if (LEADER_CHANGES.has(scenario) && p.path !== 'haproxy-ro') t.ok(okAt.some((at) => at > faultAt), `${p.path}: acknowledged again after the leader changed`);
  }
  const newLeader = figures.newLeader;
  if (!LEADER_CHANGES.has(scenario) || !newLeader || faultAt === null) return;
  const routed = history.events.find((e): e is HaproxyEvent => e.kind === 'haproxy' && e.t >= faultAt && e.readWrite.length === 1 && e.readWrite[0] === newLeader);
  const seen = history.events.filter((e): e is HaproxyEvent => e.kind === 'haproxy').map((e) => `${e.t} ms: read-write [${e.readWrite.join(', ')}], read-only [${e.readOnly.join(', ')}]`);
  t.ok(routed, `HAProxy's read-write listener had ${newLeader}, the new primary, as its one server UP after the fault`, { faultAt, seen });
  if (routed) {
    t.ok(
      ops.some((o) => o.path === 'haproxy-rw' && o.op === 'write' && o.phase === 'ok' && o.t > routed.t),
      `writes through HAProxy were acknowledged after it routed to ${newLeader}`,
    );
  }
}
