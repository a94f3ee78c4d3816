/**
 * docs/chaos.md, generated: the prose, and the faults `lab chaos` draws from with their traits, taken
 * from the fault registry, so a fault that declares chaos traits is documented the moment it exists.
 * A test keeps it current.
 */
import { formatSeconds } from '../../clock.js';
import { CHECKS } from '../checks/index.js';
import { FAULTS } from '../faults/registry.js';
import { CHAOS_CHECKS } from './run.js';
import { CHAOS_DEFAULTS } from './settings.js';
import { AFTER_HEAL_MS, UNAVAILABLE_MS } from '../checks/unavailability.js';

export function chaosReference(): string {
  const faults = Object.values(FAULTS).filter((f) => f.chaos);
  const never = Object.values(FAULTS)
    .filter((f) => !f.chaos)
    .map((f) => `\`${f.name}\``);
  return [
    '# lab chaos: seeded random faults',
    '',
    '```text',
    'lab chaos --seed N --duration 10m [--faults list] [--interval 20s..60s] [--quiet 30s] [--overlap]',
    '          [--dry-run] [--history FILE] [--json FILE] [--html FILE]',
    '```',
    '',
    "A scenario breaks one thing, cleanly, once. `lab chaos` does what Jepsen's combined nemesis does: it",
    'draws a fault, a target and a duration, injects it, holds it, heals it, waits a quiet period, and',
    'repeats, for as long as asked, while the writer and the sampler run throughout; then the same checks',
    'as the scenarios judge the whole History. Generated from the code (`lab/scenarios/chaos/chaos-doc.ts`).',
    '',
    '## The schedule',
    '',
    "- **From the seed alone.** The schedule is drawn with a seeded PRNG (pure-rand's xoroshiro128+, never",
    '  `Math.random`) from the seed and the settings, and printed before the run: the same seed and settings',
    '  always give the same schedule. `--dry-run` prints it and exits without touching the lab.',
    '- **Roles, not nodes.** Each fault is aimed at a role (`leader`, `replica`, `any`), resolved to a node',
    '  only when it is injected, because which node leads then depends on what the faults before did. A',
    '  number drawn with the schedule chooses among the nodes that fit (in name order), so the seed decides',
    '  that too; with no node accepting writes, `leader` and `replica` fall back to any node, and the step says so.',
    '  The History records the node.',
    `- **\`--interval A..B\`** (default \`${CHAOS_DEFAULTS.interval}\`): from one fault's start to the next one's, drawn`,
    '  between A and B (whole seconds).',
    `- **\`--quiet Q\`** (default \`${CHAOS_DEFAULTS.quiet}\`): no fault in the first and the last Q of the run, and`,
    '  (without `--overlap`) none within Q of the last heal: the cluster gets time to recover, and the',
    '  figures can tell what each fault did.',
    "- **How long each is held** is drawn from the fault's own range (below); a fault that would not fit",
    '  before the closing quiet period ends the schedule.',
    '- **`--overlap`** lets a fault that allows it start while others are in force (never the same fault on',
    '  the same node twice: that one is recorded as not injected). A fault that does not allow it starts',
    '  only when nothing is in force, and nothing starts while it is.',
    '- **`--faults a,b`** draws only from those; the order they are listed in does not matter.',
    '',
    '## The faults it draws from',
    '',
    '| fault | roles | services | held for | may overlap |',
    '| --- | --- | --- | --- | --- |',
    ...faults.map((f) => {
      const c = f.chaos!;
      return `| \`${f.name}\` | ${c.roles.join(', ')} | ${c.services?.join(', ') ?? ''} | ${formatSeconds(c.holdMs[0])} to ${formatSeconds(c.holdMs[1])} | ${c.overlap ? 'yes' : 'no'} |`;
    }),
    '',
    `Never drawn: ${never.join(', ') || 'none'}. A fault joins the schedule by declaring \`chaos\` traits in`,
    '`lab/scenarios/faults/registry.ts` (roles, services, hold range, whether it may overlap); what it does and how',
    'it is healed are the same as in scenarios (see [scenarios.md](scenarios.md#faults)).',
    '',
    '## Every fault is healed, whatever happens',
    '',
    'The schedule is played by the scenario engine, so each fault is journaled in the lab directory before',
    'it is applied and healed in a `finally`: Ctrl-C stops the schedule and heals what is in force; a run',
    'killed outright (SIGKILL) leaves its faults in `faults.json`, where `lab status` shows them, a new run',
    'refuses to start over them, and `lab heal` undoes them. A fault that cannot be applied fails its step',
    'and the schedule goes on.',
    '',
    '## The checks',
    '',
    ...['steps', ...CHAOS_CHECKS].map((name) => `- \`${name}\`: ${CHECKS[name]!.describe}`),
    '- and the lab must be healthy at the end (after the closing quiet period and the final read), as',
    '  `lab status` judges it; otherwise the run exits 2.',
    '',
    'Exit codes as `lab scenario`: 0 every check passed and the lab is healthy, 1 a check failed, 2 unknown',
    'or unhealthy at the end, 3 a bad flag (named, with what it allows), 130 interrupted.',
    '',
    '## The figures',
    '',
    `- **Availability** per window (10 s, or a sixtieth of the run if longer): the share of the window not`,
    `  inside a stretch of more than ${formatSeconds(UNAVAILABLE_MS)} without an acknowledged write (the writer writes every 50 ms).`,
    '- **Write latency** p50, p95, p99 of the acknowledged writes per phase: `quiet`, or the faults in',
    '  force when the write was sent (`partition`, `freeze+stop-service`), with the time spent in each phase',
    '  and the writes that failed or are indeterminate.',
    '- **The longest unavailability and its cause**: the fault in force when the stretch began, or healed',
    `  at most ${formatSeconds(AFTER_HEAL_MS)} before (the cluster still recovering from it); the latest injected wins.`,
    '',
    'The console prints them after the checks; `--json FILE` writes them with the schedule and the checks;',
    "`--html FILE` draws Jepsen's perf graph for the run: the faults as coloured bands over the write",
    'latency, aggregated into at most 300 buckets (p50, p95, p99 and max per bucket, not every write), the',
    'stretches without an acknowledged write beneath with the longest one named, and the availability of',
    'each window.',
    '',
    '## Long runs: the History on disk',
    '',
    'The History is streamed to a JSON-lines file as it is recorded (`--history FILE`, default',
    '`chaos/seed-N-TIME.jsonl` in the lab directory): the first line is the meta, then one event a line. Only',
    'the last minute stays in memory, for the writer and the waits. The checks and figures read the file',
    'back keeping, of each stretch in which a node showed one state, only its first and last sample (all',
    'the checks and pictures read of samples), and every write; so memory grows with the writes, not with',
    'the samples. `npm run bench` measures the resident memory, CPU and History size of a 10-minute run,',
    'minute by minute.',
    '',
  ].join('\n');
}
