/**
 * The user's --workload command: the tail of its output, and real `sh -c` runs recorded start to end
 * (exit status, output tail), ended by lab when it outlives the grace period or the run is interrupted.
 */
import t from 'tap';
import { systemClock } from '../../lab/clock.js';
import { HistoryRecorder, type CommandEvent } from '../../lab/scenarios/history.js';
import { OutputTail, UserCommand } from '../../lab/scenarios/user-command.js';
import { HistoryBuilder } from './build-history.js';

t.test('the tail keeps the last lines, across chunks, the unfinished one included, each cut to length', async (t) => {
  const tail = new OutputTail(3);
  tail.push('one\ntw');
  tail.push('o\nthree\r\nfour\nfi');
  t.same(tail.get(), ['three', 'four', 'fi']);
  const long = new OutputTail(2);
  long.push(`${'x'.repeat(400)}\n`);
  t.equal(long.get()[0], `${'x'.repeat(300)}...`);
});

async function run(command: string, { graceMs = 10_000, interrupted = false, env = {} as Record<string, string> } = {}): Promise<CommandEvent[]> {
  const recorder = new HistoryRecorder(new HistoryBuilder().build().meta, systemClock);
  const user = new UserCommand(recorder, { command, env, graceMs });
  user.start();
  await user.stop(interrupted);
  return recorder.events.filter((e): e is CommandEvent => e.kind === 'command');
}

t.test('a command that ends by itself: its exit code and its output, with the settings it was given', async (t) => {
  const [start, end] = await run('echo "host $PGHOST"; echo oops >&2; exit 3', { env: { PGHOST: '127.0.0.1' } });
  t.match(start, { phase: 'start', command: 'echo "host $PGHOST"; echo oops >&2; exit 3' });
  t.match(end, { phase: 'end', exitCode: 3 });
  t.equal(end?.killed, undefined, 'not ended by lab');
  t.same([...(end?.tail ?? [])].sort(), ['host 127.0.0.1', 'oops']);
});

t.test('still running after the grace period: its whole process group is ended, and the end says so', async (t) => {
  // The inner sleep is a grandchild: it must go too, or `stop` would wait for its output to close.
  const [, end] = await run('sleep 60 & wait', { graceMs: 100 });
  t.match(end, { phase: 'end', killed: 'scenario-end', exitCode: null });
});

t.test('interrupted: ended at once, without the grace period', async (t) => {
  const [, end] = await run('sleep 60', { graceMs: 60_000, interrupted: true });
  t.match(end, { phase: 'end', killed: 'interrupted' });
});
