import t from 'tap';
import { LabError } from '../../../lab/errors.js';
import { CHAOS_DEFAULTS, parseChaosFlags, type ChaosFlags } from '../../../lab/scenarios/chaos/settings.js';

const flags: ChaosFlags = {
  seed: 1,
  duration: '3m',
  interval: CHAOS_DEFAULTS.interval,
  quiet: CHAOS_DEFAULTS.quiet,
  overlap: false,
};

function problem(f: Partial<ChaosFlags>): string {
  try {
    parseChaosFlags({ ...flags, ...f });
  } catch (e) {
    if (e instanceof LabError && e.exitCode === 3) return e.message;
    throw e;
  }
  return 'no problem';
}

t.test('the defaults, and durations in every unit', async (t) => {
  const s = parseChaosFlags(flags);
  t.same([s.seed, s.durationMs, s.intervalMs, s.quietMs, s.overlap], [1, 180_000, [20_000, 60_000], 30_000, false]);
  t.ok(s.faults.length >= 5, 'every fault with chaos traits');
  t.equal(parseChaosFlags({ ...flags, duration: '2h' }).durationMs, 7_200_000);
  t.same(parseChaosFlags({ ...flags, interval: '45s' }).intervalMs, [45_000, 45_000], 'one duration is a fixed interval');
  t.same(
    parseChaosFlags({ ...flags, faults: ' partition, freeze ' }).faults.map((f) => f.name),
    ['freeze', 'partition'],
  );
});

t.test('each bad flag is named with what it allows (exit 3)', async (t) => {
  t.match(problem({ seed: undefined }), /^--seed: missing; allowed: a whole number from 0 to 2147483647/);
  t.match(problem({ seed: 1.5 }), /^--seed: 1.5 is not a whole number/);
  t.match(problem({ seed: -1 }), /^--seed:/);
  t.match(problem({ seed: Number.NaN }), /^--seed:/);
  t.match(problem({ duration: undefined }), /^--duration: missing; allowed: a duration such as 3m/);
  t.match(
    problem({ duration: 'ten minutes' }),
    /^--duration: "ten minutes" is not a duration; allowed: a duration such as 1500ms, 30s, 10m or 2h/,
  );
  t.match(
    problem({ duration: '60s' }),
    /^--duration: 60s leaves no room for a fault .*--quiet 30s.*; allowed: at least twice --quiet plus 10s/,
  );
  t.match(
    problem({ interval: '60s..20s' }),
    /^--interval: "60s..20s" is not a range of at least 1 s; allowed: SHORTEST..LONGEST/,
  );
  t.match(problem({ interval: '500ms..2s' }), /^--interval:/);
  t.match(problem({ interval: '20s-60s' }), /^--interval: "20s-60s" is not a duration/);
  t.match(problem({ quiet: 'soon' }), /^--quiet: "soon" is not a duration/);
  t.match(
    problem({ faults: 'partition,switchover' }),
    /^--faults: switchover cannot be scheduled; allowed: bandwidth, crash-node, .*partition/,
  );
  t.match(problem({ faults: ',' }), /^--faults: no fault named/);
});
