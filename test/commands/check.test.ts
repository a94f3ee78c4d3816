/**
 * `lab check` as a user runs it on files a run saved: the CLI (the bundle), a `--json` report and a
 * streamed chaos History, a model asked for, and elle-cli's shape written. Offline, so no lab.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t, { type Test } from 'tap';
import { runLab } from '../helpers.js';
import { failoverHistory } from '../scenarios/build-history.js';

const history = failoverHistory()
  .step(0, 1, 'wait: healthy', 'ok')
  .txn(1, 1_000, 20, 'ok', [['append', 1, 1]])
  .txn(2, 2_000, 20, 'ok', [['r', 1, [1]]])
  .build();

async function saved(t: Test): Promise<{ report: string; lines: string; dir: string }> {
  const dir = t.testdir();
  const report = path.join(dir, 'run.json');
  await writeFile(report, JSON.stringify({ checks: [{ name: 'single-primary' }, { name: 'no-lost-writes' }], history }));
  const lines = path.join(dir, 'seed-1.jsonl');
  await writeFile(lines, [{ meta: history.meta }, ...history.events].map((v) => `${JSON.stringify(v)}\n`).join(''));
  return { report, lines, dir };
}

t.test("lab check run.json: the report's checks again, and the anomaly checker", async (t) => {
  const { report } = await saved(t);
  const r = await runLab(['check', report]);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /PASS {2}single-primary/);
  t.match(r.stdout, /PASS {2}no-lost-writes/);
  t.match(r.stdout, /PASS {2}anomalies: .*2 transactions/);
});

t.test('lab check FILE.jsonl: a streamed History, checked with a model asked for', async (t) => {
  const { lines } = await saved(t);
  const r = await runLab(['check', lines, '--model', 'strict-serializable']);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /anomalies: .*strict-serializable/);
});

t.test("lab check run.json --history F --history-format elle: elle-cli's shape", async (t) => {
  const { report, dir } = await saved(t);
  const out = path.join(dir, 'run.elle.json');
  const r = await runLab(['check', report, '--history', out, '--history-format', 'elle']);
  t.equal(r.exitCode, 0, r.stderr);
  const ops = JSON.parse(await readFile(out, 'utf8')) as { type: string; f: string; value: unknown[] }[];
  t.same(
    ops.map((o) => [o.type, o.f]),
    [
      ['invoke', 'txn'],
      ['ok', 'txn'],
      ['invoke', 'txn'],
      ['ok', 'txn'],
    ],
  );
  t.same(ops[3]!.value, [['r', 1, [1]]]);
});

t.test('lab check on a file that is not a History: exit 3, naming it', async (t) => {
  const dir = t.testdir({ 'x.json': '{"rows": []}' });
  const r = await runLab(['check', path.join(dir, 'x.json')]);
  t.equal(r.exitCode, 3);
  t.match(r.stderr, /x\.json.*no History in it/);
});
