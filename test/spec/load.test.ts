import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { LabError, SpecError } from '../../lab/errors.js';
import { loadSpec } from '../../lab/spec/load.js';
import { sampleLabYaml } from '../../lab/spec/sample.js';

const dir = await mkdtemp(path.join(tmpdir(), 'pgha-lab-load-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

/** What loadSpec threw, failing the test when it returned. */
async function thrown(file: string): Promise<LabError> {
  const error = await loadSpec(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LabError)) throw new Error(`loadSpec(${file}) threw no LabError but ${String(error)}`);
  return error;
}

t.test('a missing lab.yaml says how to make one', async (t) => {
  const error = await thrown('/nonexistent/lab.yaml');
  t.equal(error.exitCode, 3);
  t.equal(error.message, '/nonexistent/lab.yaml not found');
  t.match(error.hint, 'lab init');
});

t.test('a lab.yaml that cannot be read is bad input, naming the file and why', async (t) => {
  const error = await thrown(dir);
  t.equal(error.exitCode, 3);
  t.match(error.message, new RegExp(`^cannot read ${dir}: EISDIR`));
});

t.test("lab init's sample loads as the default lab", async (t) => {
  const file = path.join(dir, 'lab.yaml');
  await writeFile(file, sampleLabYaml());
  const { spec, warnings } = await loadSpec(file);
  t.equal(spec.name, 'pgha');
  t.equal(spec.nodes.length, 3);
  t.same(warnings, []);
});

t.test('an invalid lab.yaml is refused by the parser, naming the file, the field and its line', async (t) => {
  const file = path.join(dir, 'bad.yaml');
  await writeFile(file, 'name: pgha\nprovider: podman\n');
  const error = await thrown(file);
  t.type(error, SpecError);
  t.equal(error.exitCode, 3);
  t.match(error.message, `${file} is invalid (1 problem)`);
  t.match(error.message, /provider \(line 2\): expected one of "vagrant", "docker", got "podman"/);
});
