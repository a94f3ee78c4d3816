/**
 * Every malformed lab.yaml in test/fixtures/bad carries `# expect:` lines: the errors it must
 * produce. Each is checked through the loader and through the real CLI, which must write nothing.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parseSpec } from '../../lab/spec/load.js';
import { SpecError } from '../../lab/errors.js';
import { ROOT, runLab, tempDir } from '../helpers.js';

const BAD = path.join(ROOT, 'test/fixtures/bad');
const fixtures = readdirSync(BAD).filter((f) => f.endsWith('.yaml')).sort();

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!);
}

t.ok(fixtures.length >= 20, `at least 20 malformed lab.yaml files (found ${fixtures.length})`);

/** The CLI runs, a few at a time (each is a node start-up), started before the tests that read them. */
async function generateAll(concurrency: number): Promise<Map<string, { work: string; dir: string; result: Awaited<ReturnType<typeof runLab>> }>> {
  const out = new Map<string, { work: string; dir: string; result: Awaited<ReturnType<typeof runLab>> }>();
  const queue = [...fixtures];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let fixture = queue.shift(); fixture; fixture = queue.shift()) {
        const work = await tempDir(t);
        const dir = path.join(work, 'out');
        out.set(fixture, { work, dir, result: await runLab(['generate', '-f', path.join(BAD, fixture), '--dir', dir]) });
      }
    }),
  );
  return out;
}
const generated = generateAll(3);

for (const fixture of fixtures) {
  const text = readFileSync(path.join(BAD, fixture), 'utf8');
  const expected = expectations(text);

  t.test(`${fixture}: loader reports it`, async (t) => {
    t.ok(expected.length > 0, 'the fixture says what it expects');
    const error = t.throws(() => parseSpec(text, fixture)) as unknown;
    t.type(error, SpecError);
    const message = (error as SpecError).message;
    t.match(message, `${fixture} is invalid`);
    t.match(message, 'nothing was written');
    for (const line of expected) t.ok(message.includes(line), `error says: ${line}\n---\n${message}`);
    t.equal((error as SpecError).problems.length, expected.length, 'exactly the expected problems, no noise');
  });

  t.test(`${fixture}: lab generate exits 3 and writes nothing`, async (t) => {
    const { work, dir, result } = (await generated).get(fixture)!;
    t.equal(result.exitCode, 3, 'exit code 3: bad input');
    for (const line of expected) t.ok(result.stderr.includes(line), `stderr says: ${line}`);
    t.equal(existsSync(dir), false, 'the lab directory was not created');
    t.equal(readdirSync(work).length, 0, 'nothing else was written either');
  });
}
