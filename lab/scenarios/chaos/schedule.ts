/**
 * The chaos schedule: from a seed and the run's settings, which fault starts when, aimed at which
 * role, on which service, and for how long, as Jepsen's combined nemesis draws its operations.
 * Pure: the seed alone decides it (a seeded PRNG, never Math.random), so the same seed and settings
 * always give the same schedule, printed before the run and with `--dry-run` instead of it.
 * Roles are resolved to nodes only when each fault is injected (targets.ts: resolveRole), with the
 * `pick` drawn here, and the History records the node.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { ExitCode, LabError } from '../../errors.js';
import { formatSeconds } from '../../clock.js';
import { FAULTS, type ChaosRole, type ChaosTraits, type Service } from '../faults/registry.js';

/** A fault the schedule may draw, with what it may draw for it. */
export interface ChaosFault {
  name: string;
  traits: ChaosTraits;
}

export interface ScheduleSettings {
  seed: number;
  durationMs: number;
  /** Drawn from, sorted by name: the order the user listed them in does not change the schedule. */
  faults: readonly ChaosFault[];
  /** From one fault's start to the next one's, in ms: [shortest, longest]. */
  intervalMs: readonly [number, number];
  /** No fault at the start, at the end, and (without overlap) between a heal and the next fault. */
  quietMs: number;
  /** Faults that allow it may start while others are in force. */
  overlap: boolean;
}

export interface ScheduledFault {
  /** Its position in the schedule, from 1. */
  n: number;
  /** When it is injected, ms from the start of the run. */
  at: number;
  fault: string;
  role: ChaosRole;
  service?: Service;
  /** How long it is held before it is healed. */
  holdMs: number;
  /** Chooses among the nodes that fit the role when it is injected. */
  pick: number;
}

const SECOND = 1000;

/**
 * The faults `lab chaos` may draw: those of `names` (default every fault with chaos traits), sorted.
 * Throws (exit 3) naming the ones it cannot schedule and those it can.
 */
export function chaosCatalogue(names?: readonly string[]): ChaosFault[] {
  const schedulable = Object.values(FAULTS)
    .filter((f) => f.chaos)
    .map((f) => f.name)
    .sort();
  const wanted = names ?? schedulable;
  const unknown = wanted.filter((n) => !schedulable.includes(n));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new LabError(
      `--faults: ${wanted.length === 0 ? 'no fault named' : `${unknown.join(', ')} cannot be scheduled`}; allowed: ${schedulable.join(', ')}`,
      ExitCode.badInput,
      'give a comma-separated list, e.g. --faults partition,crash-node',
    );
  }
  return [...new Set(wanted)].sort().map((name) => ({ name, traits: FAULTS[name]!.chaos! }));
}

/** Whole seconds in [lo, hi] (rounded inwards), as ms. */
function drawSeconds(rng: ReturnType<typeof xoroshiro128plus>, [lo, hi]: readonly [number, number]): number {
  const from = Math.ceil(lo / SECOND);
  return uniformInt(rng, from, Math.max(from, Math.floor(hi / SECOND))) * SECOND;
}

export function generateSchedule(settings: ScheduleSettings): ScheduledFault[] {
  const rng = xoroshiro128plus(settings.seed);
  const faults = [...settings.faults].sort((a, b) => a.name.localeCompare(b.name));
  const { quietMs, overlap } = settings;
  /** Every fault is healed by then, and the cluster has the last quiet period to settle. */
  const lastHeal = settings.durationMs - quietMs;
  const schedule: ScheduledFault[] = [];
  let earliest = quietMs;
  /** The last heal of any fault, and of one that may not overlap: each plus the quiet period. */
  let clearAt = quietMs;
  let exclusiveClearAt = quietMs;
  // Each fault starts at least a second after the one before: the loop is bounded by the duration.
  while (schedule.length < Math.ceil(settings.durationMs / SECOND)) {
    const f = faults[uniformInt(rng, 0, faults.length - 1)]!;
    const role = f.traits.roles[uniformInt(rng, 0, f.traits.roles.length - 1)]!;
    const service = f.traits.services?.[uniformInt(rng, 0, f.traits.services.length - 1)];
    const hold = drawSeconds(rng, f.traits.holdMs);
    const pick = uniformInt(rng, 0, 0x7fffffff);
    const gap = Math.max(SECOND, drawSeconds(rng, settings.intervalMs));
    const at = Math.max(earliest, overlap && f.traits.overlap ? exclusiveClearAt : clearAt);
    const holdMs = Math.min(hold, lastHeal - at);
    // Too little time left to hold it as long as it is ever held: the schedule is complete.
    if (holdMs < Math.max(SECOND, Math.min(f.traits.holdMs[0], hold))) break;
    schedule.push({ n: schedule.length + 1, at, fault: f.name, role, ...(service ? { service } : {}), holdMs, pick });
    const healedQuiet = at + holdMs + quietMs;
    clearAt = Math.max(clearAt, healedQuiet);
    // One that may not overlap others blocks every fault until it is healed and the quiet is over.
    if (!f.traits.overlap) exclusiveClearAt = Math.max(exclusiveClearAt, healedQuiet);
    earliest = at + gap;
  }
  return schedule;
}

/** The faults in force at `t` (injected at or before it, not yet healed). Pure. */
export function inForceAt(schedule: readonly ScheduledFault[], t: number): ScheduledFault[] {
  return schedule.filter((s) => s.at <= t && t < s.at + s.holdMs);
}

/** "  #3   42.0 s  partition on leader for 20.0 s", one line per fault, as `lab chaos` prints it. */
export function formatSchedule(
  schedule: readonly ScheduledFault[],
  settings: Pick<ScheduleSettings, 'seed' | 'durationMs' | 'overlap'>,
): string {
  const head = `chaos schedule, seed ${settings.seed}: ${schedule.length} fault(s) in ${formatSeconds(settings.durationMs)}${settings.overlap ? ', overlapping where allowed' : ''}`;
  const lines = schedule.map(
    (s) =>
      `  #${String(s.n).padEnd(3)} ${formatSeconds(s.at).padStart(9)}  ${s.fault}${s.service ? ` ${s.service}` : ''} on ${s.role} for ${formatSeconds(s.holdMs)}`,
  );
  return `${[head, ...lines].join('\n')}\n`;
}
