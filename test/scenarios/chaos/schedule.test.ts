import t from 'tap';
import type { Test } from 'tap';
import { LabError } from '../../../lab/errors.js';
import { FAULTS } from '../../../lab/scenarios/faults/registry.js';
import {
  chaosCatalogue,
  formatSchedule,
  generateSchedule,
  inForceAt,
  type ChaosFault,
  type ScheduledFault,
  type ScheduleSettings,
} from '../../../lab/scenarios/chaos/schedule.js';

const S = 1000;
const overlapping: ChaosFault = {
  name: 'slow',
  traits: { roles: ['leader', 'replica', 'any'], services: ['patroni', 'etcd'], holdMs: [5 * S, 20 * S], overlap: true },
};
const exclusive: ChaosFault = { name: 'crash', traits: { roles: ['leader'], holdMs: [10 * S, 30 * S], overlap: false } };
const base: ScheduleSettings = {
  seed: 1,
  durationMs: 600 * S,
  faults: [overlapping, exclusive],
  intervalMs: [20 * S, 60 * S],
  quietMs: 30 * S,
  overlap: false,
};

const overlaps = (a: ScheduledFault, b: ScheduledFault) => a.at < b.at + b.holdMs && b.at < a.at + a.holdMs;

/** Every property a schedule promises, whatever the seed and settings. */
function assertWellFormed(t: Test, schedule: ScheduledFault[], settings: ScheduleSettings): void {
  const byName = new Map(settings.faults.map((f) => [f.name, f.traits]));
  const problems: string[] = [];
  for (const [i, s] of schedule.entries()) {
    const traits = byName.get(s.fault);
    if (!traits) problems.push(`#${s.n}: ${s.fault} not in the list`);
    else {
      if (!traits.roles.includes(s.role)) problems.push(`#${s.n}: role ${s.role}`);
      if (s.service !== undefined && !traits.services?.includes(s.service)) problems.push(`#${s.n}: service ${s.service}`);
      if (traits.services && s.service === undefined) problems.push(`#${s.n}: no service`);
      if (s.holdMs < traits.holdMs[0] || s.holdMs > traits.holdMs[1]) problems.push(`#${s.n}: hold ${s.holdMs}`);
    }
    if (s.n !== i + 1) problems.push(`#${s.n} at position ${i + 1}`);
    if (s.at < settings.quietMs) problems.push(`#${s.n} starts in the opening quiet period`);
    if (s.at + s.holdMs > settings.durationMs - settings.quietMs) problems.push(`#${s.n} heals in the closing quiet period`);
    if (!Number.isInteger(s.pick) || s.pick < 0) problems.push(`#${s.n}: pick ${s.pick}`);
    const prev = schedule[i - 1];
    if (prev && s.at - prev.at < settings.intervalMs[0]) problems.push(`#${s.n} starts ${s.at - prev.at} ms after #${prev.n}`);
    for (const other of schedule.slice(0, i)) {
      const allowed = settings.overlap && byName.get(s.fault)?.overlap && byName.get(other.fault)?.overlap;
      if (!allowed && other.at + other.holdMs + settings.quietMs > s.at)
        problems.push(`#${s.n} starts before #${other.n} is healed and quiet`);
    }
  }
  t.same(problems, [], `seed ${settings.seed}, overlap ${settings.overlap}: ${schedule.length} faults well formed`);
}

t.test('the same seed gives the same schedule; another seed another one', async (t) => {
  const a = generateSchedule(base);
  t.same(generateSchedule({ ...base }), a);
  t.notSame(generateSchedule({ ...base, seed: 2 }), a);
  t.ok(a.length >= 5, `a 10-minute run has several faults (${a.length})`);
});

t.test('the order the faults are listed in does not change it', async (t) => {
  t.same(generateSchedule({ ...base, faults: [exclusive, overlapping] }), generateSchedule(base));
});

t.test('never Math.random: the seed alone decides', async (t) => {
  const random = Math.random;
  Math.random = () => {
    throw new Error('Math.random called');
  };
  t.teardown(() => {
    Math.random = random;
  });
  t.doesNotThrow(() => generateSchedule(base));
});

t.test('well formed for many seeds, with and without overlap, short and long runs', async (t) => {
  for (const overlap of [false, true]) {
    for (const durationMs of [90 * S, 180 * S, 600 * S, 7200 * S]) {
      for (let seed = 0; seed < 60; seed++) {
        const settings = { ...base, seed, overlap, durationMs };
        assertWellFormed(t, generateSchedule(settings), settings);
      }
    }
  }
});

t.test('overlap: only faults that allow it are ever in force together, and some are', async (t) => {
  let together = 0;
  for (let seed = 0; seed < 50; seed++) {
    const schedule = generateSchedule({ ...base, seed, overlap: true, intervalMs: [5 * S, 10 * S] });
    for (const [i, a] of schedule.entries()) {
      for (const b of schedule.slice(i + 1)) {
        if (!overlaps(a, b)) continue;
        together++;
        t.ok(a.fault === 'slow' && b.fault === 'slow', `#${a.n} ${a.fault} and #${b.n} ${b.fault} overlap (seed ${seed})`);
      }
    }
  }
  t.ok(together > 0, `some faults overlapped (${together})`);
});

t.test('without overlap nothing is in force together', async (t) => {
  for (let seed = 0; seed < 50; seed++) {
    const schedule = generateSchedule({ ...base, seed, intervalMs: [1 * S, 2 * S] });
    t.ok(
      schedule.every((s, i) => i === 0 || schedule[i - 1]!.at + schedule[i - 1]!.holdMs + base.quietMs <= s.at),
      `seed ${seed}`,
    );
  }
});

t.test('every listed fault, role and service is drawn over a long run', async (t) => {
  const schedule = generateSchedule({ ...base, durationMs: 7200 * S });
  t.same(new Set(schedule.map((s) => s.fault)), new Set(['slow', 'crash']));
  t.same(new Set(schedule.filter((s) => s.fault === 'slow').map((s) => s.role)), new Set(['leader', 'replica', 'any']));
  t.same(new Set(schedule.filter((s) => s.fault === 'slow').map((s) => s.service)), new Set(['patroni', 'etcd']));
});

t.test('a run too short for any fault has an empty schedule', async (t) => {
  t.same(generateSchedule({ ...base, durationMs: 60 * S }), []);
  t.same(
    generateSchedule({ ...base, durationMs: 69 * S, faults: [exclusive] }),
    [],
    'a 9 s slot is shorter than crash is ever held',
  );
  t.equal(
    generateSchedule({ ...base, durationMs: 69 * S, faults: [overlapping] }).length,
    1,
    'a 9 s slot fits one 5..20 s fault',
  );
});

t.test('inForceAt: injected at or before t, not yet healed', async (t) => {
  const s: ScheduledFault[] = [
    { n: 1, at: 10 * S, fault: 'slow', role: 'leader', holdMs: 10 * S, pick: 0 },
    { n: 2, at: 15 * S, fault: 'slow', role: 'replica', holdMs: 10 * S, pick: 0 },
  ];
  t.same(
    inForceAt(s, 9_999).map((f) => f.n),
    [],
  );
  t.same(
    inForceAt(s, 10 * S).map((f) => f.n),
    [1],
  );
  t.same(
    inForceAt(s, 16 * S).map((f) => f.n),
    [1, 2],
  );
  t.same(
    inForceAt(s, 20 * S).map((f) => f.n),
    [2],
  );
  t.same(
    inForceAt(s, 25 * S).map((f) => f.n),
    [],
  );
});

t.test('formatSchedule: one line per fault with its time, role and hold', async (t) => {
  const text = formatSchedule([{ n: 1, at: 42 * S, fault: 'partition', role: 'leader', holdMs: 20 * S, pick: 3 }], {
    seed: 7,
    durationMs: 180 * S,
    overlap: false,
  });
  t.equal(text, 'chaos schedule, seed 7: 1 fault(s) in 180.0 s\n  #1      42.0 s  partition on leader for 20.0 s\n');
});

t.test('chaosCatalogue: the faults with chaos traits, sorted; unknown ones named with the allowed list', async (t) => {
  const all = chaosCatalogue();
  t.same(
    all.map((f) => f.name),
    Object.values(FAULTS)
      .filter((f) => f.chaos)
      .map((f) => f.name)
      .sort(),
  );
  t.ok(all.length >= 5);
  t.same(
    chaosCatalogue(['partition', 'crash-node', 'partition']).map((f) => f.name),
    ['crash-node', 'partition'],
  );
  const e = (() => {
    try {
      chaosCatalogue(['switchover', 'nope']);
    } catch (e) {
      return e;
    }
  })();
  t.ok(e instanceof LabError && e.exitCode === 3, 'a LabError, exit 3');
  t.match((e as Error).message, /--faults: switchover, nope cannot be scheduled; allowed: .*partition/);
  t.throws(() => chaosCatalogue([]), /--faults: no fault named/);
});
