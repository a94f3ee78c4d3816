/**
 * `lab chaos` settings as the user types them, checked into ScheduleSettings. Pure: every problem
 * names its flag and what is allowed (exit 3), before anything is touched.
 */
import { ExitCode, LabError } from '../../errors.js';
import { parseDuration } from '../bounds.js';
import { chaosCatalogue, type ScheduleSettings } from './schedule.js';

export interface ChaosFlags {
  seed?: number;
  duration?: string;
  faults?: string;
  interval: string;
  quiet: string;
  overlap: boolean;
}

export const CHAOS_DEFAULTS = { interval: '20s..60s', quiet: '30s' } as const;
const MAX_SEED = 0x7fffffff;

const bad = (flag: string, problem: string, allowed: string) =>
  new LabError(`--${flag}: ${problem}; allowed: ${allowed}`, ExitCode.badInput);

function duration(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw bad(flag, `"${text}" is not a duration`, 'a duration such as 1500ms, 30s, 10m or 2h');
  }
}

export function parseChaosFlags(flags: ChaosFlags): ScheduleSettings {
  if (flags.seed === undefined || !Number.isInteger(flags.seed) || flags.seed < 0 || flags.seed > MAX_SEED) {
    throw bad(
      'seed',
      flags.seed === undefined ? 'missing' : `${flags.seed} is not a whole number in range`,
      `a whole number from 0 to ${MAX_SEED}`,
    );
  }
  if (flags.duration === undefined) throw bad('duration', 'missing', 'a duration such as 3m, 10m or 2h');
  const durationMs = duration('duration', flags.duration);
  const quietMs = duration('quiet', flags.quiet);
  const range = /^([^.]+)\.\.([^.]+)$/.exec(flags.interval);
  const [lo, hi] = range
    ? [duration('interval', range[1]!), duration('interval', range[2]!)]
    : [duration('interval', flags.interval), duration('interval', flags.interval)];
  if (lo < 1000 || hi < lo)
    throw bad(
      'interval',
      `"${flags.interval}" is not a range of at least 1 s`,
      'SHORTEST..LONGEST such as 20s..60s (shortest >= 1s), or one duration',
    );
  if (durationMs < 2 * quietMs + 10_000) {
    throw bad(
      'duration',
      `${flags.duration} leaves no room for a fault between the opening and closing quiet periods (--quiet ${flags.quiet})`,
      `at least twice --quiet plus 10s`,
    );
  }
  const names = flags.faults
    ?.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return { seed: flags.seed, durationMs, quietMs, intervalMs: [lo, hi], overlap: flags.overlap, faults: chaosCatalogue(names) };
}
