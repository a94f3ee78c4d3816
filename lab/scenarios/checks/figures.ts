/**
 * The measured figures of a run: how long after its first fault the cluster noticed and another node
 * accepted writes, and how long clients could not write, each outage laid to the fault in force
 * when it began (unavailability.ts, as `lab chaos` does).
 */
import type { History, WriteOutcome } from '../history/history.js';
import { firstFault, leaderBefore, samples, writableObservations, writeOutcomes } from '../history/after-run.js';
import { pathFigures, type PathFigures } from './path-figures.js';
import { faultSpans, outages, type Outage } from './unavailability.js';

export interface Figures {
  /** t of the first fault; null when the scenario injected none. */
  faultAt: number | null;
  oldLeader: string | null;
  /** Fault -> a node other than the old leader sees the leader key gone or moved. */
  detectionMs: number | null;
  /** Fault -> a node other than the old leader accepts writes. */
  promotionMs: number | null;
  newLeader: string | null;
  /**
   * The longest stretch without an acknowledged write laid to a fault: last ok before it -> first ok
   * after (an indeterminate write is no acknowledgement); null when writes did not resume.
   */
  downtimeMs: number | null;
  downtimeFrom: number | null;
  downtimeTo: number | null;
  /** The fault it is laid to ("dcs-outage on node2"): in dcs-outage not the first fault, a configuration change. */
  downtimeCause: string | null;
  /** Per fault, the writer's longest stretch laid to it. */
  byFault: Outage[];
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
    downtimeCause: null,
    byFault: [],
    writesOk: okTimes.length,
    writesFailed: count('fail'),
    writesIndeterminate: count('indeterminate'),
    paths: [],
  };
  if (!fault) return { ...figures, paths: pathFigures(history) };
  const old = leaderBefore(history, fault.t)?.node ?? null;
  figures.oldLeader = old;

  const noticed = samples(history).find((s) => s.t >= fault.t && s.node !== old && s.leader !== undefined && s.leader !== old);
  if (noticed) figures.detectionMs = noticed.t - fault.t;

  const promoted = writableObservations(history).find((o) => o.t >= fault.t && o.writable && o.node !== old);
  if (promoted) {
    figures.promotionMs = promoted.t - fault.t;
    figures.newLeader = promoted.node;
  }

  const end = all.reduce((m, w) => Math.max(m, w.completedAt ?? 0), 0);
  const { byFault, longest } = outages(okTimes, faultSpans(history, end), end);
  figures.byFault = byFault;
  figures.downtimeCause = longest?.cause ?? null;
  if (longest?.recovered) Object.assign(figures, { downtimeMs: longest.ms, downtimeFrom: longest.from, downtimeTo: longest.to });
  figures.paths = pathFigures(history);
  return figures;
}
