/**
 * The measured figures of a run, relative to its first fault: how long until the cluster noticed,
 * until another node accepted writes, and how long clients could not write.
 */
import type { History, WriteOutcome } from '../history/history.js';
import { firstFault, leaderBefore, samples, writableObservations, writeOutcomes } from '../history/after-run.js';
import { pathFigures, type PathFigures } from './path-figures.js';

export interface Figures {
  /** t of the first fault; null when the scenario injected none. */
  faultAt: number | null;
  oldLeader: string | null;
  /** Fault -> a node other than the old leader sees the leader key gone or moved. */
  detectionMs: number | null;
  /** Fault -> a node other than the old leader accepts writes. */
  promotionMs: number | null;
  newLeader: string | null;
  /** The longest stretch without an acknowledged write after the fault: last ok before it -> first ok after (an indeterminate write is no acknowledgement). */
  downtimeMs: number | null;
  downtimeFrom: number | null;
  downtimeTo: number | null;
  writesOk: number;
  /** Writes that certainly did not happen. */
  writesFailed: number;
  /** Writes whose outcome is unknown (they may or may not have committed). */
  writesIndeterminate: number;
  /** Per entry path (HAProxy, PgBouncer, libpq): what an application saw; empty without entry points. */
  paths: PathFigures[];
}

export function computeFigures(history: History): Figures {
  const fault = firstFault(history);
  const all = writeOutcomes(history);
  const count = (outcome: WriteOutcome) => all.filter((w) => w.outcome === outcome).length;
  const okTimes = all.flatMap((w) => (w.outcome === 'ok' && w.completedAt !== null ? [w.completedAt] : [])).sort((a, b) => a - b);
  const figures: Figures = {
    faultAt: fault?.t ?? null,
    oldLeader: null,
    detectionMs: null,
    promotionMs: null,
    newLeader: null,
    downtimeMs: null,
    downtimeFrom: null,
    downtimeTo: null,
    writesOk: okTimes.length,
    writesFailed: count('fail'),
    writesIndeterminate: count('indeterminate'),
    paths: [],
  };
  if (!fault) return { ...figures, paths: pathFigures(history, figures) };
  const old = leaderBefore(history, fault.t)?.node ?? null;
  figures.oldLeader = old;

  const noticed = samples(history).find((s) => s.t >= fault.t && s.node !== old && s.leader !== undefined && s.leader !== old);
  if (noticed) figures.detectionMs = noticed.t - fault.t;

  const promoted = writableObservations(history).find((o) => o.t >= fault.t && o.writable && o.node !== old);
  if (promoted) {
    figures.promotionMs = promoted.t - fault.t;
    figures.newLeader = promoted.node;
  }

  // Gaps between consecutive acknowledgements that end after the fault; the longest is the outage.
  // With no acknowledgement before the fault (the writer had not found the leader yet), the outage
  // is counted from the fault itself, not from the first acknowledgement after it.
  if (!okTimes.some((t) => t < fault.t)) okTimes.unshift(fault.t);
  for (let i = 1; i < okTimes.length; i++) {
    const [from, to] = [okTimes[i - 1]!, okTimes[i]!];
    if (to < fault.t) continue;
    if (figures.downtimeMs === null || to - from > figures.downtimeMs) {
      Object.assign(figures, { downtimeMs: to - from, downtimeFrom: from, downtimeTo: to });
    }
  }
  figures.paths = pathFigures(history, figures);
  return figures;
}
