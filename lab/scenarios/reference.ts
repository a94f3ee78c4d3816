/**
 * docs/scenarios.md, generated from the engine's own tables (conditions, faults, checks, timing
 * names), so the format reference lists exactly what the loader accepts. A test keeps it current.
 */
import { TIMING_NAMES } from './bounds.js';
import { CHECKS } from './checks/index.js';
import { CONDITIONS } from './conditions.js';
import { FAULTS, SERVICES } from './faults.js';

const table = (head: string, rows: [string, string][]): string[] => [`| ${head} | meaning |`, '| --- | --- |', ...rows.map(([k, v]) => `| \`${k}\` | ${v.replace(/\|/g, '\\|')} |`)];

export function scenarioReference(): string {
  return [
    '# Scenario files',
    '',
    'A scenario is a YAML file: `lab scenario NAME` looks for `scenarios/NAME.yaml` in the working',
    'directory, then among the shipped ones (`lab scenario --list`); `lab scenario path/to/file.yaml`',
    'runs any file. Copy a shipped scenario and change it; no TypeScript needed. Generated from the',
    'engine (`lab/scenarios/reference.ts`).',
    '',
    '```yaml',
    'name: failover',
    'summary: The leader\'s node crashes; a replica takes over; the old leader rejoins.',
    'steps:',
    '  - wait: healthy',
    '  - fault: crash-node',
    '    target: leader',
    '  - wait: new-leader',
    '    within: ttl + loop_wait + 10s',
    '  - heal: crash-node',
    '  - wait: rejoined',
    '    within: 90s',
    'checks:',
    '  - single-primary',
    '  - failover-time: { within: ttl + loop_wait + 10s }',
    '  - no-lost-writes',
    '```',
    '',
    'While the steps run, a sampler reads every node\'s Patroni REST API about every 250 ms and a writer',
    'inserts sequence-numbered rows through the current primary; both go into the History with every',
    'fault, heal and step. The checks then judge the History alone. Every fault still in force when the',
    'scenario ends, fails or is interrupted is healed.',
    '',
    '## Steps',
    '',
    '- `wait: CONDITION` with `within: BOUND` (default 120s) and optional `target:`: poll until the condition holds.',
    '- `hold: CONDITION` with `for: BOUND`: the condition must keep holding that long.',
    '- `fault: FAULT` with `target:` (default `leader`), `service:` for service faults, `to:` for switchover/failover.',
    '- `heal: FAULT` (or `heal: all`), optional `target:`: undo a fault now rather than at the end.',
    '- `sleep: BOUND`.',
    '',
    'Targets: `leader` (whoever accepts writes when the step runs), a node name, or roles fixed when a step',
    'first names one (before the first fault): `previous-leader` (the node that led then), `replica-1`,',
    '`replica-2`, ... (the replicas then, in name order).',
    '',
    `Bounds: numbers with \`ms\`, \`s\` or \`m\` (bare numbers are seconds), the lab's timings ${TIMING_NAMES.map((n) => `\`${n}\``).join(', ')},`,
    '`+ - * /` and parentheses, e.g. `ttl + loop_wait + 10s`. So one file fits the default lab and a tuned one.',
    '',
    '## Conditions',
    '',
    ...table('condition', Object.values(CONDITIONS).map((c) => [c.name, c.describe])),
    '',
    '## Faults',
    '',
    `Services: ${SERVICES.map((s) => `\`${s}\``).join(', ')}.`,
    '',
    ...table('fault', Object.values(FAULTS).map((f) => [f.name, f.describe])),
    '',
    '## Checks',
    '',
    'Each check is pass, fail or unknown, with its evidence; the scenario\'s verdict is the worst.',
    'Exit codes: 0 pass, 1 a check failed, 2 unknown or an infrastructure error.',
    '',
    ...table('check', Object.values(CHECKS).map((c) => [c.name, c.describe])),
    '',
  ].join('\n');
}
