/** Ctrl-C during a command: whatever the work fails with once interrupted, the command ends as interrupted (exit 130). */
import { EventEmitter } from 'node:events';
import t from 'tap';
import { interruptible, nextSteps } from '../../lab/commands/up.js';
import { ExitCode, InterruptedError, LabError } from '../../lab/errors.js';

/** Work that runs until aborted, then fails as a build cut off does: with its own error, not the abort's. */
const buildUntilAborted = (failure: Error) => (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(failure), { once: true }));

t.test(
  'Ctrl-C during an image build ends with exit 130 and the interrupted message, whatever the build failed with',
  async (t) => {
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => said.push(chunk) > 0) as typeof process.stderr.write;
    t.teardown(() => void (process.stderr.write = write));
    for (const failure of [
      new LabError('installing the ssh server into the seat image failed (exit 137): '),
      new Error('socket hang up'),
    ]) {
      const terminal = new EventEmitter();
      const run = interruptible(
        'lab workshop up',
        'run `lab workshop down` to remove what was created',
        buildUntilAborted(failure),
        terminal as unknown as NodeJS.Process,
      );
      terminal.emit('SIGINT');
      const e = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      t.ok(e instanceof InterruptedError, `${failure.message}: an InterruptedError`);
      t.equal((e as LabError).exitCode, ExitCode.interrupted, 'exit 130');
      t.equal((e as LabError).message, 'lab workshop up was interrupted; run `lab workshop down` to remove what was created');
      t.equal(terminal.listenerCount('SIGINT'), 0, 'its Ctrl-C handler is gone once it ends');
    }
    t.match(said.join(''), /stopping lab workshop up \(Ctrl-C again to quit at once\)/);
  },
);

t.test('without Ctrl-C a failure is the failure', async (t) => {
  const failure = new LabError('installing the ssh server into the seat image failed (exit 137): ');
  await t.rejects(
    interruptible('lab workshop up', 'x', async () => Promise.reject(failure), new EventEmitter() as unknown as NodeJS.Process),
    failure,
  );
});

t.test('after up: how to reach the lab, and the first scenario to run', async (t) => {
  t.match(nextSteps(true), /^Next: lab env \(connection settings per path\), lab psql; lab scenario failover/);
  t.match(nextSteps(false), /lab psql NODE, lab env \(the nodes' multi-host string\)/, 'without entry: the nodes themselves');
  t.match(nextSteps(false), /lab down when done\n$/);
});
