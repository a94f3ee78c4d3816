import t from 'tap';
import { workloadCommand } from '../../../lab/scenarios/checks/workload-command.js';
import { runChecks } from '../../../lab/scenarios/checks/index.js';
import type { CommandEvent, History } from '../../../lab/scenarios/history/history.js';
import { HistoryBuilder } from '../build-history.js';

function withCommand(end?: Partial<CommandEvent>): History {
  const h = new HistoryBuilder().build();
  h.events.push({ kind: 'command', t: 100, phase: 'start', command: './run-tests.sh' });
  if (end)
    h.events.push({
      kind: 'command',
      t: 20_100,
      phase: 'end',
      command: './run-tests.sh',
      durationMs: 20_000,
      tail: ['ok 12 tests'],
      exitCode: 0,
      ...end,
    });
  return h;
}

t.test('exit 0 by itself: pass, with its duration and last lines as evidence', async (t) => {
  const r = workloadCommand.run(withCommand({}), {});
  t.equal(r.status, 'pass');
  t.same(r.figures, { exitCode: 0, durationMs: 20_000 });
  t.same(r.evidence, ['`./run-tests.sh`: exit 0, after 20.0 s (started 0.1 s)', 'its last lines:', '  | ok 12 tests']);
});

t.test('a non-zero exit, a signal, or an end by lab: fail', async (t) => {
  t.equal(workloadCommand.run(withCommand({ exitCode: 1 }), {}).summary, 'the workload command failed: exit 1');
  t.equal(workloadCommand.run(withCommand({ exitCode: null, signal: 'SIGSEGV' }), {}).status, 'fail');
  t.match(
    workloadCommand.run(withCommand({ exitCode: null, signal: 'SIGTERM', killed: 'scenario-end' }), {}).summary,
    /grace period: ended by lab/,
  );
});

t.test("timeout(1)'s 124 fails, and says what it means", async (t) => {
  const r = workloadCommand.run(withCommand({ exitCode: 124 }), {});
  t.equal(r.status, 'fail');
  t.match(r.summary, /exit 124, the code timeout\(1\) exits with when it stops the command it ran at its limit/);
});

t.test('no end recorded: unknown; it runs unnamed only when there was a command', async (t) => {
  t.equal(workloadCommand.run(withCommand(), {}).status, 'unknown');
  t.ok(runChecks(withCommand({ exitCode: 2 }), []).some((c) => c.name === 'workload-command' && c.status === 'fail'));
  t.notOk(runChecks(new HistoryBuilder().build(), []).some((c) => c.name === 'workload-command'));
});
