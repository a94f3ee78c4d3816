/**
 * Crunchy PGO's point-in-time restore drill, on a lab with a backup node (test/fixtures/backup-lab.yaml):
 * 1,000 rows, a full backup, a mark, 1,000 more rows, `lab restore --to` the mark; exactly the first
 * 1,000 rows are back, on a healthy lab on a later timeline. Before it, targets the repository cannot
 * reach are refused with exit 3 and change nothing. Run by docker-then-scenarios.test.ts.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { specContext } from '../../lab/labdir/context.js';
import { labIdFor } from '../../lab/providers/docker/naming.js';
import { ROOT } from '../helpers.js';
import { leftovers, removeLeftoverLabs, requireEngine, runLabIn } from './docker-harness.js';

t.test('pitr: rows, a backup, a mark, more rows, lab restore --to the mark: exactly the first rows', async (t) => {
  await requireEngine();
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-pitr-'));
  const file = path.join(work, 'lab.yaml');
  const dir = path.join(work, 'lab');
  await copyFile(path.join(ROOT, 'test/fixtures/backup-lab.yaml'), file);
  const ctx = await specContext({ file, dir });
  await removeLeftoverLabs(ctx.spec.name);
  const lab = (args: string[], timeoutMs = 600_000) => runLabIn(work, file, dir, args, timeoutMs);
  const sql = async (statement: string): Promise<string> => {
    const r = await lab(['psql', '--', '-XAtc', statement]);
    t.equal(r.exitCode, 0, `psql: ${statement}: ${r.stderr}`);
    return r.stdout.trim();
  };
  // A failed assertion must not leave the lab running: down again here is a no-op after the one below.
  t.teardown(async () => {
    await lab(['down']);
    await rm(work, { recursive: true, force: true });
  });

  const up = await lab(['up'], 900_000);
  t.equal(up.exitCode, 0, `lab up (with the backup node and its stanza)\n${up.stderr}`);
  await sql('CREATE TABLE drill (id int PRIMARY KEY); INSERT INTO drill SELECT generate_series(1, 1000)');
  const backup = await lab(['backup', 'full']);
  t.equal(backup.exitCode, 0, `lab backup full\n${backup.stderr}`);
  t.comment(backup.stdout.trim());
  // pgBackRest knows the backup's stop time to the second: a mark in that same second is refused.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const mark = (await sql('SELECT to_char(clock_timestamp() AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')')).trim();
  await sql('INSERT INTO drill SELECT generate_series(1001, 2000)');
  t.equal(await sql('SELECT count(*) FROM drill'), '2000', 'before the restore: 2,000 rows');
  const listed = await lab(['backup', 'list']);
  t.match(listed.stdout, /full +2\d{3}-/, 'lab backup list shows the full backup');
  t.match(listed.stdout, /archive: 0{7}1/, 'and the archive range');

  for (const [args, reason] of [
    [['--to', '2000-01-01T00:00:00Z'], /before the oldest backup ended/],
    [['--to', '2999-01-01T00:00:00Z'], /is in the future/],
    [['--to', mark, '--latest'], /exactly one of --to/],
  ] as const) {
    const refused = await lab(['restore', ...args]);
    t.equal(refused.exitCode, 3, `lab restore ${args.join(' ')}: exit 3`);
    t.match(refused.stderr, reason);
  }
  t.equal(await sql('SELECT count(*) FROM drill'), '2000', 'a refused restore changed nothing');

  const restore = await lab(['restore', '--to', mark], 900_000);
  t.equal(restore.exitCode, 0, `lab restore --to ${mark}\n${restore.stdout}\n${restore.stderr}`);
  t.comment(restore.stdout.split('\n').find((l) => l.includes('healthy in')) ?? '');
  for (const phase of [
    'stop Patroni on every node',
    'remove the cluster from etcd',
    'pgbackrest restore',
    'start Patroni as leader',
  ])
    t.match(restore.stdout, phase, `a progress line: ${phase}`);
  t.equal(await sql('SELECT count(*) FROM drill'), '1000', 'exactly the rows written before the mark');
  const timeline = Number(await sql("SELECT ('x' || left(pg_walfile_name(pg_current_wal_lsn()), 8))::bit(32)::int"));
  t.ok(timeline > 1, `a new timeline (${timeline})`);
  const status = await lab(['status']);
  t.equal(status.exitCode, 0, `lab status: healthy, every replica streaming\n${status.stdout}`);
  t.equal((await lab(['down'])).exitCode, 0, 'lab down');
  t.same(await leftovers(labIdFor(ctx.spec.name, dir)), [], 'lab down leaves nothing, the backup node included');
});
