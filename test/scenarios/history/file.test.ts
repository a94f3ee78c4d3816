import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { HistoryRecorder, type HealEvent, type HistoryEvent, type SampleEvent } from '../../../lab/scenarios/history/history.js';
import { HistoryFileWriter, readHistoryFile, readSavedHistory, SampleCompactor } from '../../../lab/scenarios/history/file.js';
import { writableRuns } from '../../../lab/scenarios/history/after-run.js';
import { FakeClock } from '../../fake-clock.js';
import { failoverHistory } from '../build-history.js';

t.test("written as JSON lines and read back: the same History but for each node's repeated samples", async (t) => {
  const history = failoverHistory().build();
  const file = path.join(t.testdir(), 'h.jsonl');
  const writer = new HistoryFileWriter(file, history.meta);
  for (const e of history.events) writer.write(e);
  await writer.close();
  const text = await readFile(file, 'utf8');
  t.equal(writer.bytes, Buffer.byteLength(text), 'bytes counted as written');
  t.equal(writer.events, history.events.length);
  t.equal(text.trim().split('\n').length, history.events.length + 1, 'meta, then one event a line');
  const back = await readHistoryFile(file);
  t.same(back.meta, history.meta);
  const isSample = (e: HistoryEvent) => e.kind === 'sample';
  t.same(
    back.events.filter((e) => !isSample(e)),
    history.events.filter((e) => !isSample(e)),
    'every other event, in order',
  );
  const before = history.events.filter(isSample).length;
  const after = back.events.filter(isSample).length;
  t.ok(after < before / 10, `${after} of ${before} samples kept`);
  const spans = (h: typeof history) => writableRuns(h).map(({ node, start, end }) => ({ node, start, end }));
  t.same(spans(back), spans(history), 'who accepted writes, from when to when: unchanged');
});

t.test('SampleCompactor: the first and last of each stretch of one state, per node', async (t) => {
  const s = (t: number, node: string, pg: 'primary' | 'replica', lag = 0): SampleEvent => ({
    kind: 'sample',
    t,
    node,
    reachable: true,
    role: null,
    state: null,
    timeline: 1,
    lag,
    pg,
    etcd: true,
  });
  const c = new SampleCompactor();
  const kept = [
    s(0, 'a', 'primary'),
    s(1, 'b', 'replica'),
    s(2, 'a', 'primary', 5),
    s(3, 'a', 'primary'),
    s(4, 'b', 'replica'),
    s(5, 'a', 'replica'),
    s(6, 'a', 'replica'),
  ].flatMap((e) => c.push(e));
  t.same(
    [...kept, ...c.flush()].map((e) => e.t).sort((x, y) => x - y),
    [0, 1, 3, 4, 5, 6],
    'lag is no change of state; the last sample of every stretch stays',
  );
  t.same(
    c.push({ kind: 'heal', t: 9, fault: 'x', node: 'a', ok: true }).map((e) => e.kind),
    ['heal'],
    'other events pass at once',
  );
});

t.test('a recorder with a retention keeps only the recent events in memory; its listeners see them all', async (t) => {
  const clock = new FakeClock();
  const recorder = new HistoryRecorder(failoverHistory().build().meta, clock, 10_000);
  let seen = 0;
  recorder.onEvent(() => seen++);
  for (let i = 0; i < 5000; i++) {
    recorder.record<HealEvent>({ kind: 'heal', fault: 'x', node: 'a', ok: true });
    await clock.advance(10);
  }
  t.equal(seen, 5000);
  t.ok(recorder.events.length <= 1000 + 500, `${recorder.events.length} events kept of 5000 (10 s of 50 s)`);
  t.ok(recorder.events[0]!.t >= 50_000 - 10_000 - 5_000, 'the oldest kept is recent');
  t.equal(recorder.events.at(-1)!.t, 49_990);
});

t.test('a file that is not a History says so', async (t) => {
  const file = path.join(t.testdir({ 'bad.jsonl': '{"kind":"heal"}\n', 'empty.jsonl': '' }), 'bad.jsonl');
  await t.rejects(readHistoryFile(file), /the first line is not a History's meta/);
  await t.rejects(readHistoryFile(path.join(path.dirname(file), 'empty.jsonl')), /is empty/);
});

t.test('a saved History is read from either shape; bad input is exit 3 naming the line', async (t) => {
  const history = failoverHistory().build();
  const dir = t.testdir();
  const lines = path.join(dir, 'h.jsonl');
  const text = [{ meta: history.meta }, ...history.events].map((v) => `${JSON.stringify(v)}\n`).join('');
  await writeFile(lines, text);
  t.same((await readSavedHistory(lines)).history.meta, history.meta, 'JSON lines, as lab chaos streams them');
  const report = path.join(dir, 'report.json');
  const json = JSON.stringify({ checks: [{ name: 'single-primary' }, { name: 'anomalies' }], history }, null, 2);
  await writeFile(report, json);
  const saved = await readSavedHistory(report);
  t.same(saved.checks, ['single-primary', 'anomalies'], "a --json report's checks");
  t.equal(saved.history.events.length, history.events.length);

  const truncated = path.join(dir, 'truncated.json');
  await writeFile(truncated, json.slice(0, 2000));
  const line = json.slice(0, 2000).split('\n').length;
  await t.rejects(readSavedHistory(truncated), { exitCode: 3, message: new RegExp(`truncated.json:${line} is not JSON`) });
  const cut = path.join(dir, 'cut.jsonl');
  await writeFile(cut, text.slice(0, text.indexOf('\n', text.indexOf('\n') + 1) + 20));
  await t.rejects(readSavedHistory(cut), { exitCode: 3, message: /cut\.jsonl:3 is not a JSON line of a History/ });
  const stranger = path.join(dir, 'stranger.json');
  await writeFile(stranger, '{"rows": []}');
  await t.rejects(readSavedHistory(stranger), { exitCode: 3, message: /no History in it/ });
  const odd = path.join(dir, 'odd.jsonl');
  await writeFile(odd, `${JSON.stringify({ meta: history.meta })}\n{"what": 1}\n`);
  await t.rejects(readSavedHistory(odd), { exitCode: 3, message: /odd\.jsonl:2: not a History event/ });
});
