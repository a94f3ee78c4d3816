/**
 * Every malformed lab.yaml in test/fixtures/bad carries `# expect:` lines: the errors it must
 * produce. Each is checked through the loader and through the command line (`main`, as the `lab`
 * executable runs it: yargs, the command, the exit code), which must write nothing; a few through the
 * executable itself, for the process's exit status. A process per fixture cost CI 2 CPU-seconds each.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parseSpec } from '../../lab/spec/parse.js';
import { SpecError } from '../../lab/errors.js';
import { ROOT, runLab, runMain, tempDir } from '../helpers.js';

const BAD = path.join(ROOT, 'test/fixtures/bad');
const fixtures = readdirSync(BAD)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!);
}

t.ok(fixtures.length >= 20, `at least 20 malformed lab.yaml files (found ${fixtures.length})`);

/** Through the executable: the first fixtures (not a mapping, not YAML, an unknown key). */
const THROUGH_THE_EXECUTABLE = 3;

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

  const executable = fixtures.indexOf(fixture) < THROUGH_THE_EXECUTABLE;
  t.test(`${fixture}: lab generate exits 3 and writes nothing${executable ? ' (the executable)' : ''}`, async (t) => {
    const work = await tempDir(t);
    const dir = path.join(work, 'out');
    const args = ['generate', '-f', path.join(BAD, fixture), '--dir', dir];
    const result = executable ? await runLab(args) : await runMain(args);
    t.equal(result.exitCode, 3, 'exit code 3: bad input');
    for (const line of expected) t.ok(result.stderr.includes(line), `stderr says: ${line}`);
    t.equal(existsSync(dir), false, 'the lab directory was not created');
    t.equal(readdirSync(work).length, 0, 'nothing else was written either');
  });
}
