import t from 'tap';
import {
  formatBytes,
  lsnValue,
  parseInfo,
  parseRestoreTarget,
  pgTime,
  requireBackup,
  restoreOptions,
  targetProblem,
  type StanzaInfo,
} from '../../lab/cluster/pgbackrest.js';
import type { LabError } from '../../lab/errors.js';

/** `pgbackrest info --output=json` as pgBackRest 2.55 answers it, trimmed to what is read. */
const INFO = JSON.stringify([
  {
    name: 'lab',
    status: { code: 0, message: 'ok' },
    archive: [
      { id: '17-1', min: '000000010000000000000001', max: '000000010000000000000009' },
      { id: '17-1', min: '000000020000000000000009', max: '00000002000000000000000B' },
    ],
    backup: [
      {
        label: '20261208-001750F_20261208-001800I',
        type: 'incr',
        timestamp: { start: 1_796_689_080, stop: 1_796_689_082 },
        info: { size: 23_592_960, repository: { delta: 173_260, size: 3_100_000 } },
        lsn: { start: '0/9000028', stop: '0/9000120' },
        archive: { start: '000000010000000000000009', stop: '000000010000000000000009' },
      },
      {
        label: '20261208-001750F',
        type: 'full',
        timestamp: { start: 1_796_689_065, stop: 1_796_689_071 },
        info: { size: 23_592_960, repository: { delta: 3_040_000, size: 3_040_000 } },
        lsn: { start: '0/8000028', stop: '0/8000120' },
        archive: { start: '000000010000000000000008', stop: '000000010000000000000008' },
      },
    ],
  },
]);

t.test('parseInfo: backups oldest first, sizes, times, the archive across timelines', async (t) => {
  const info = parseInfo(INFO, 'lab');
  t.equal(info.status.code, 0);
  t.same(
    info.backups.map((b) => [b.label, b.type]),
    [
      ['20261208-001750F', 'full'],
      ['20261208-001750F_20261208-001800I', 'incr'],
    ],
  );
  t.equal(info.backups[0]!.stopMs, 1_796_689_071_000, 'seconds become milliseconds');
  t.equal(info.backups[1]!.repositoryBytes, 173_260, "the repository's size of this backup's own files");
  t.same(info.archive, { min: '000000010000000000000001', max: '00000002000000000000000B' });
  t.throws(() => parseInfo(INFO, 'other'), /does not list the stanza other/);
  t.throws(() => parseInfo('ERROR: no', 'lab'), /did not answer JSON/);
  const empty = parseInfo(
    JSON.stringify([{ name: 'lab', status: { code: 2, message: 'no valid backups' }, archive: [], backup: [] }]),
    'lab',
  );
  t.same([empty.backups, empty.archive, empty.status.message], [[], null, 'no valid backups']);
});

t.test('parseRestoreTarget: exactly one target, well formed, or exit 3 naming the option', async (t) => {
  t.same(parseRestoreTarget({ latest: true }), { kind: 'latest' });
  t.same(parseRestoreTarget({ toLsn: '0/3000060' }), { kind: 'lsn', lsn: '0/3000060' });
  t.same(parseRestoreTarget({ to: '2026-12-08T00:17:54.140Z' }), { kind: 'time', ms: Date.UTC(2026, 11, 8, 0, 17, 54, 140) });
  t.same(parseRestoreTarget({ to: '2026-12-08 01:17:54+01:00' }), { kind: 'time', ms: Date.UTC(2026, 11, 8, 0, 17, 54) });
  for (const [options, message] of [
    [{}, /exactly one of --to TIME, --to-lsn LSN or --latest, got none/],
    [{ to: '2026-12-08T00:00:00Z', latest: true }, /got 2/],
    [{ to: '2026-12-08 10:00:00' }, /--to: expected a time with its zone/],
    [{ to: 'yesterday' }, /--to: expected a time with its zone/],
    [{ toLsn: '3000060' }, /--to-lsn: expected an LSN/],
  ] as const) {
    const error = t.throws(() => parseRestoreTarget(options)) as LabError;
    t.match(error.message, message);
    t.equal(error.exitCode, 3, `${JSON.stringify(options)}: exit 3`);
  }
});

t.test('targetProblem: before the oldest backup, in the future, no backup; else none', async (t) => {
  const info: StanzaInfo = parseInfo(INFO, 'lab');
  const oldestStop = info.backups[0]!.stopMs;
  t.equal(targetProblem({ kind: 'time', ms: oldestStop + 1000 }, info, oldestStop + 60_000), null);
  t.equal(targetProblem({ kind: 'latest' }, info, 0), null);
  t.match(
    targetProblem({ kind: 'time', ms: oldestStop - 1 }, info, oldestStop + 60_000),
    /before the oldest backup ended \(20261208-001750F/,
  );
  t.match(
    targetProblem({ kind: 'time', ms: oldestStop + 999 }, info, oldestStop + 60_000),
    /known to the second/,
    'within its stop second',
  );
  t.match(targetProblem({ kind: 'time', ms: oldestStop + 120_000 }, info, oldestStop + 60_000), /is in the future/);
  t.match(targetProblem({ kind: 'lsn', lsn: '0/7FFFFFF' }, info, 0), /--to-lsn 0\/7FFFFFF is before the oldest backup ended/);
  t.equal(targetProblem({ kind: 'lsn', lsn: '0/8000120' }, info, 0), null);
  t.match(targetProblem({ kind: 'latest' }, { ...info, backups: [] }, 0), /holds no backup of lab yet/);
});

t.test('restoreOptions and pgTime: what pgBackRest is given', async (t) => {
  const ms = Date.UTC(2026, 11, 8, 0, 17, 54, 140);
  t.equal(pgTime(ms), '2026-12-08 00:17:54.140+00');
  t.same(restoreOptions({ kind: 'time', ms }), ['--type=time', '--target=2026-12-08 00:17:54.140+00', '--target-action=promote']);
  t.same(restoreOptions({ kind: 'lsn', lsn: '0/3000060' }), ['--type=lsn', '--target=0/3000060', '--target-action=promote']);
  t.same(restoreOptions({ kind: 'latest' }), ['--type=default']);
});

t.test('lsnValue, formatBytes, requireBackup', async (t) => {
  t.ok(lsnValue('1/0') > lsnValue('0/FFFFFFFF'), 'the high half counts first');
  t.equal(lsnValue('0/10'), 16n);
  t.equal(formatBytes(512), '512 B');
  t.equal(formatBytes(23_592_960), '22.5 MiB');
  const error = t.throws(() => requireBackup({ backup: null }, 'lab restore')) as LabError;
  t.equal(error.exitCode, 3);
  t.match(error.message, /this lab has no backup: section/);
});
