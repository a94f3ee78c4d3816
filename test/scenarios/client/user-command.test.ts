/**
 * The user's --workload command: the tail of its output, and real `bash -c` runs recorded start to end
 * (exit status, output tail), ended by lab when it outlives the grace period or the run is interrupted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import t from 'tap';
import { systemClock } from '../../../lab/clock.js';
import { HistoryRecorder, type CommandEvent } from '../../../lab/scenarios/history/history.js';
import { defaultTimeouts, OutputTail, UserCommand } from '../../../lab/scenarios/client/user-command.js';
import { HistoryBuilder } from '../build-history.js';
import { ROOT } from '../../helpers.js';

t.test('the tail keeps the last lines, across chunks, the unfinished one included, each cut to length', async (t) => {
  const tail = new OutputTail(3);
  tail.push('one\ntw');
  tail.push('o\nthree\r\nfour\nfi');
  t.same(tail.get(), ['three', 'four', 'fi']);
  const long = new OutputTail(2);
  long.push(`${'x'.repeat(400)}\n`);
  t.equal(long.get()[0], `${'x'.repeat(300)}...`);
});

async function run(
  command: string,
  { graceMs = 10_000, interrupted = false, env = {} as Record<string, string>, onLine = (_: string): void => undefined } = {},
): Promise<CommandEvent[]> {
  const recorder = new HistoryRecorder(new HistoryBuilder().build().meta, systemClock);
  const user = new UserCommand(recorder, { command, env, graceMs, onLine });
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

t.test('bash, as CI engineers write it, with client timeouts unless their environment sets its own', async (t) => {
  const [, end] = await run('[[ $SECONDS -ge 0 ]] && echo "bash $PGCONNECT_TIMEOUT $PGOPTIONS"');
  t.match(end, { exitCode: 0, tail: ['bash 5 -c statement_timeout=10s'] });
  t.same(defaultTimeouts({ PGCONNECT_TIMEOUT: '30' }), { PGOPTIONS: '-c statement_timeout=10s' }, "the user's own value stays");
  t.same(defaultTimeouts({}), { PGCONNECT_TIMEOUT: '5', PGOPTIONS: '-c statement_timeout=10s' });
});

t.test('its output is handed on line by line while it runs, not only at the end', async (t) => {
  const seen: { line: string; at: number }[] = [];
  const started = Date.now();
  const [, end] = await run('echo first; sleep 1; echo second', {
    onLine: (line) => seen.push({ line, at: Date.now() - started }),
  });
  t.same(
    seen.map((s) => s.line),
    ['first', 'second'],
  );
  t.ok(
    seen[1]!.at - seen[0]!.at >= 500,
    `the first line came while the command still ran (${seen[0]!.at} ms, then ${seen[1]!.at} ms)`,
  );
  t.match(end, { exitCode: 0 });
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

/** Processes of process group `pgid` that are not zombies, from /proc. */
function liveInGroup(pgid: number): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      const stat = (() => {
        try {
          return readFileSync(`/proc/${d}/stat`, 'utf8');
        } catch {
          return '';
        }
      })();
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its closing parenthesis.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z' ? [`${d} ${state}`] : [];
    });
}

t.test("lab exiting at once (a second Ctrl-C) takes the command's process group with it", async (t) => {
  const script = [
    "import { systemClock } from './dist/lab/clock.js';",
    "import { HistoryRecorder } from './dist/lab/scenarios/history/history.js';",
    "import { UserCommand } from './dist/lab/scenarios/client/user-command.js';",
    "const meta = { scenario: 's', lab: 'l', provider: 'docker', startedAt: '', nodes: [], timings: { ttl: 30, loopWait: 10, retryTimeout: 10, primaryStartTimeout: 300, safetyMargin: 5 }, synchronousMode: false, samplePeriodMs: 250 };",
    "const user = new UserCommand(new HistoryRecorder(meta, systemClock), { command: 'sleep 300 & wait', env: {}, graceMs: 1000 });",
    'user.start();',
    "console.log(user['pid']);",
    'process.exit(130);',
  ].join('\n');
  const run = await execa('node', ['--input-type=module', '-e', script], { cwd: ROOT, reject: false });
  const pid = Number(run.stdout.trim());
  t.ok(pid > 0, `the command's group leader was ${pid}`);
  // Killed processes may stay zombies until something reaps them: none may still be running.
  t.same(liveInGroup(pid), [], 'no process of its group is left running');
});
