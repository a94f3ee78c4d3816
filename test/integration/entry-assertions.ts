/**
 * What the scenario suite asserts about the entry points on a lab with an `entry:` section: the report's
 * per-path downtime agrees with the History it was computed from; on dcs-outage each read-write path
 * was down about as long as the direct writer (a read answered by the demoted primary ends no outage);
 * on failover no read-write path came back before the promotion; and after a change of leader HAProxy
 * routes writes to the new primary (its read-write listener has exactly that server UP, and writes
 * through it are acknowledged afterwards). Recomputed here from the raw `op` and `haproxy` events, not
 * through path-figures.ts, so a mistake there cannot agree with itself.
 */
import type { Test } from 'tap';
import type { RunResult } from '../../lab/scenarios/engine.js';
import type { HaproxyEvent, OpEvent, WriteEvent } from '../../lab/scenarios/history/history.js';

/** The scenarios whose leader changes: there, each read-write path must have come back. */
export const LEADER_CHANGES = new Set(['failover', 'switchover']);
/** How far a read-write path's downtime may be from the direct writer's on dcs-outage: the clients' periods and HAProxy's checks. */
export const DCS_OUTAGE_AGREEMENT_MS = 1000;

/** The longest gap between consecutive acknowledgements. */
const longestGap = (okAt: readonly number[]): number =>
  okAt.reduce((best, at, i) => (i === 0 ? best : Math.max(best, at - okAt[i - 1]!)), 0);

export function assertEntryPaths(t: Test, scenario: string, result: RunResult): void {
  const { history, figures } = result;
  const faultAt = figures.faultAt;
  const ops = history.events.filter((e): e is OpEvent => e.kind === 'op');
  t.ok(ops.length > 0, 'the entry-point clients recorded operations');
  for (const p of figures.paths) {
    const mine = ops.filter((o) => o.path === p.path);
    const counted = mine.some((o) => o.op === 'write') ? mine.filter((o) => o.op === 'write') : mine;
    const okAt = counted
      .filter((o) => o.phase === 'ok')
      .map((o) => o.t)
      .sort((a, b) => a - b);
    const readWrite = mine.some((o) => o.op === 'write');
    if (scenario === 'dcs-outage' && readWrite) {
      // Nothing takes writes while etcd is gone: every read-write path is down as long as the direct
      // writer, give or take its clients' periods, whatever reads of the demoted primary answered.
      const writerOk = history.events.filter((e): e is WriteEvent => e.kind === 'write' && e.phase === 'ok').map((e) => e.t);
      const [path, writer] = [longestGap(okAt), longestGap(writerOk)];
      t.ok(
        Math.abs(path - writer) <= DCS_OUTAGE_AGREEMENT_MS,
        `${p.path}: longest stretch without an acknowledged write ${path} ms, the direct writer's ${writer} ms (within ${DCS_OUTAGE_AGREEMENT_MS} ms)`,
      );
      t.equal(p.downtimeMs, path, `${p.path}: the report's downtime is that stretch (${p.downtimeCause ?? 'laid to no fault'})`);
    }
    if (scenario === 'failover' && readWrite && figures.promotionMs !== null && faultAt !== null) {
      // Nothing takes a write between the crash and a promotion: a path whose outage ended before it
      // counted something else as an answer. The sampler sees a promotion up to a period late.
      const promotedBy = faultAt + figures.promotionMs - history.meta.samplePeriodMs;
      t.ok(
        p.downtimeTo !== null && p.downtimeTo >= promotedBy,
        `${p.path}: its outage ends (${p.downtimeTo ?? 'never'} ms) after the promotion (${faultAt + figures.promotionMs} ms, seen by the sampler)`,
      );
    }
    if (faultAt === null || p.downtimeFrom === null || p.downtimeTo === null) continue;
    // The gap the report names really is one: an ok at each end and none inside.
    t.ok(okAt.includes(p.downtimeTo), `${p.path}: the downtime ends at an acknowledged operation (${p.downtimeTo} ms)`);
    t.ok(p.downtimeFrom === faultAt || okAt.includes(p.downtimeFrom), `${p.path}: it starts at one, or at the fault`);
    t.equal(
      okAt.filter((at) => at > p.downtimeFrom! && at < p.downtimeTo!).length,
      0,
      `${p.path}: no acknowledged operation inside it`,
    );
    t.equal(
      p.downtimeMs,
      p.downtimeTo - p.downtimeFrom,
      `${p.path}: downtime ${p.downtimeMs} ms = first ok after - last ok before`,
    );
    if (LEADER_CHANGES.has(scenario) && p.path !== 'haproxy-ro')
      t.ok(
        okAt.some((at) => at > faultAt),
        `${p.path}: acknowledged again after the leader changed`,
      );
  }
  const newLeader = figures.newLeader;
  if (!LEADER_CHANGES.has(scenario) || !newLeader || faultAt === null) return;
  const routed = history.events.find(
    (e): e is HaproxyEvent => e.kind === 'haproxy' && e.t >= faultAt && e.readWrite.length === 1 && e.readWrite[0] === newLeader,
  );
  const seen = history.events
    .filter((e): e is HaproxyEvent => e.kind === 'haproxy')
    .map((e) => `${e.t} ms: read-write [${e.readWrite.join(', ')}], read-only [${e.readOnly.join(', ')}]`);
  t.ok(routed, `HAProxy's read-write listener had ${newLeader}, the new primary, as its one server UP after the fault`, {
    faultAt,
    seen,
  });
  if (routed) {
    t.ok(
      ops.some((o) => o.path === 'haproxy-rw' && o.op === 'write' && o.phase === 'ok' && o.t > routed.t),
      `writes through HAProxy were acknowledged after it routed to ${newLeader}`,
    );
  }
}
