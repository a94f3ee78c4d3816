import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { ExitCode, LabError } from '../../lab/errors.js';
import {
  FAULT_JOURNAL_FILE,
  FaultJournal,
  parseJournal,
  runAlive,
  serializeJournal,
  type JournalEntry,
} from '../../lab/labdir/fault-journal.js';
import { tempDir } from '../helpers.js';

const run = { id: '20261126120000-abcdef', scenario: 'partition', pid: 4242 };
const entry = (id: string, fault = 'partition'): JournalEntry => ({
  id,
  fault,
  node: 'node1',
  record: { peers: ['10.0.0.12'] },
  at: '2026-11-26T12:00:00.000Z',
  run,
});

t.test('parse: what serialize writes reads back the same', async (t) => {
  const entries = [entry('a'), { ...entry('b', 'stop-service'), service: 'etcd', record: { unit: 'etcd' } }];
  t.same(parseJournal(serializeJournal(entries), 'faults.json'), entries);
});

t.test('parse: a broken journal is a LabError naming the file and each problem', async (t) => {
  const notJson = (() => {
    try {
      parseJournal('{"version": 1, "faults": [', '/lab/faults.json');
    } catch (e) {
      return e;
    }
  })();
  t.ok(notJson instanceof LabError && notJson.exitCode === ExitCode.badInput, 'bad input');
  t.match((notJson as Error).message, /the fault journal \/lab\/faults\.json is not readable/);
  t.throws(() => parseJournal(JSON.stringify({ version: 1, faults: [{ ...entry('a'), node: 7 }] }), 'f'), /faults\[0\]\.node/);
  t.throws(
    () => parseJournal(JSON.stringify({ version: 1, faults: [{ ...entry('a'), run: { ...run, pid: 0 } }] }), 'f'),
    /faults\[0\]\.run\.pid/,
  );
  t.throws(() => parseJournal(JSON.stringify({ version: 2, faults: [] }), 'f'), /version/);
});

t.test('runAlive: signal 0 tells; EPERM is a live process of another user; this process never counts', async (t) => {
  const by = (code: string | null) => (): void => {
    if (code) throw Object.assign(new Error(code), { code });
  };
  t.equal(runAlive({ pid: 4242 }, by(null)), true);
  t.equal(runAlive({ pid: 4242 }, by('ESRCH')), false);
  t.equal(runAlive({ pid: 4242 }, by('EPERM')), true);
  t.equal(runAlive({ pid: process.pid }, by(null)), false, 'a run of this process that is over');
});

t.test('the journal file: added entries read back, removed ones go, and no file when empty', async (t) => {
  const dir = await tempDir(t);
  const journal = new FaultJournal(dir);
  t.same(await journal.entries(), [], 'no file: nothing journaled');
  const first = await journal.add({ fault: 'partition', node: 'node1', record: { peers: ['10.0.0.12'] }, run });
  const second = await journal.add({ fault: 'crash-node', node: 'node2', record: {}, run });
  t.not(first.id, second.id, 'each entry has its own id');
  t.match(first.at, /^\d{4}-\d\d-\d\dT/);
  t.same(
    (await journal.entries()).map((e) => e.fault),
    ['partition', 'crash-node'],
    'oldest first',
  );
  t.same(await readdir(dir), [FAULT_JOURNAL_FILE], 'no temp file left beside it');
  t.equal((await stat(path.join(dir, FAULT_JOURNAL_FILE))).mode & 0o777, 0o600, 'owner-only, like secrets.json');
  await journal.remove(first.id);
  t.same(
    (await journal.entries()).map((e) => e.id),
    [second.id],
  );
  await journal.remove('no-such-id');
  await journal.remove(second.id);
  t.same(await readdir(dir), [], 'the last entry removed takes the file with it');
  await journal.add({ fault: 'partition', node: 'node1', record: { peers: ['10.0.0.12'] }, run });
  await journal.clear();
  t.same(await journal.entries(), []);
});

t.test('a journal someone broke by hand is reported, not ignored', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, FAULT_JOURNAL_FILE), 'not json');
  await t.rejects(new FaultJournal(dir).entries(), /not readable/);
});
