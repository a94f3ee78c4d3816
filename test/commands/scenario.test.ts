/** lab scenario's --workload flags, checked before anything runs. */
import t from 'tap';
import { ExitCode, LabError } from '../../lab/errors.js';
import { workloadOption } from '../../lab/commands/scenario.js';

t.test('--workload and --workload-grace', async (t) => {
  t.same(workloadOption('psql -c "select 1"', '45s'), { line: 'psql -c "select 1"', graceMs: 45_000 });
  for (const [line, grace, field] of [
    ['  ', '30s', '--workload'],
    ['true', 'soon', '--workload-grace'],
  ] as const) {
    const err = t.throws(() => workloadOption(line, grace)) as LabError;
    t.ok(
      err instanceof LabError && err.exitCode === ExitCode.badInput && err.message.startsWith(`${field}:`),
      `${field} named, exit 3: ${err.message}`,
    );
  }
});
