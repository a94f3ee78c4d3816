/**
 * Every `lab …` example in README.md, docs/*.md and the commands' help has a claim (example-claims.ts),
 * and every claim an example; those that need no lab run here and must show what they claim. The
 * others run against real labs: examples-on-lab.ts, dba-path.ts, or the test a claim names.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ROOT, runLab, tempDir } from '../helpers.js';
import { CLAIMS } from './example-claims.js';
import { argvOf, type Example, markdownExamples, shellBlockUnder, usageExamples } from './examples.js';

const MARKDOWN = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const examples: Example[] = [
  ...MARKDOWN.flatMap((file) => markdownExamples(file, readFileSync(path.join(ROOT, file), 'utf8'))),
  ...usageExamples(),
];

t.test('the extractor', async (t) => {
  const md = [
    'Run `lab status` or `lab up --provider docker`; `labs/x` and `lab.yaml` are not commands.',
    '```sh',
    'lab image base && lab up   # then `lab env --json`, not lab psql',
    '$ lab heal',
    '(cd labs/pgha && vagrant up)',
    '```',
    '```yaml',
    'name: lab status',
    '```',
    '```',
    'lab dir ──> running lab',
    '```',
  ].join('\n');
  t.same(
    markdownExamples('x.md', md),
    [
      { command: 'lab status', where: 'x.md:1' },
      { command: 'lab up --provider docker', where: 'x.md:1' },
      { command: 'lab image base', where: 'x.md:3' },
      { command: 'lab up', where: 'x.md:3' },
      { command: 'lab env --json', where: 'x.md:3' },
      { command: 'lab heal', where: 'x.md:4' },
    ],
    "code spans and shell lines that are lab commands, a shell comment's code spans; not YAML, not prose",
  );
  t.same(
    usageExamples({ exec: { describe: 'Run (lab exec node1 -- ls) or `lab ssh node1`; lab status is prose' } }),
    [
      { command: 'lab exec node1 -- ls', where: 'usage.ts exec' },
      { command: 'lab ssh node1', where: 'usage.ts exec' },
    ],
    'a description gives its examples in parentheses or backticks',
  );
  t.same(
    argvOf(`lab psql node2 -- -c 'select 1' "a b"`),
    ['psql', 'node2', '--', '-c', 'select 1', 'a b'],
    'argv as a shell splits it',
  );
});

t.test('every example has a claim, and every claim an example', async (t) => {
  t.ok(examples.length > 50, `${examples.length} examples found`);
  t.ok(
    examples.some((e) => e.where.startsWith('usage.ts')),
    "the commands' help has examples too",
  );
  const unclaimed = examples.filter((e) => !(e.command in CLAIMS)).map((e) => `${e.where}: ${e.command}`);
  t.same(unclaimed, [], 'no example without a claim (add one to test/docs/example-claims.ts)');
  const written = new Set(examples.map((e) => e.command));
  t.same(
    Object.keys(CLAIMS).filter((c) => !written.has(c)),
    [],
    'no claim whose example is gone',
  );
});

t.test('a claim of coverage names a test that still runs the example', async (t) => {
  for (const [command, claim] of Object.entries(CLAIMS)) {
    if (claim.on !== 'covered') continue;
    const file = path.join(ROOT, claim.file);
    t.ok(existsSync(file) && readFileSync(file, 'utf8').includes(claim.finds), `${command}: ${claim.file} has ${claim.finds}`);
  }
});

t.test('the examples that need no lab show what they claim', async (t) => {
  // A process of its own, as a user starts it: --help and --version end the process they run in.
  const cwd = await tempDir(t);
  for (const [command, claim] of Object.entries(CLAIMS)) {
    if (claim.on !== 'no-lab') continue;
    const r = await runLab(claim.run ?? argvOf(command), { cwd });
    t.equal(r.exitCode, claim.exitCode ?? 0, `${command}: exit ${claim.exitCode ?? 0}: ${r.stderr}`);
    t.match(`${r.stdout}\n${r.stderr}`, claim.shows, `${command}: shows ${claim.shows}`);
    if (claim.hides) t.notMatch(`${r.stdout}\n${r.stderr}`, claim.hides, `${command}: does not show ${claim.hides}`);
  }
});

t.test("a heading's shell block, as the DBA path test reads the README", async (t) => {
  const md = '## Other\n```sh\nlab x\n```\n## Quick start\n\nText.\n```sh\nnpm ci    # build\n(cd d && vagrant up)  # VMs\n```\n';
  t.same(shellBlockUnder(md, 'Quick start'), ['npm ci', '(cd d && vagrant up)'], 'its command lines, without comments');
  t.throws(() => shellBlockUnder(md, 'Missing'), /no heading/, 'a heading that is gone fails loudly');
});
