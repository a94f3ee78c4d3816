/**
 * workload-command: the user's own command (`lab scenario --workload CMD`) exited 0 by itself. A
 * command that failed, or that lab had to end (still running at the scenario's end plus the grace
 * period, or interrupted), fails the scenario: this is how a team runs its own tests against a fault.
 */
import { Type } from '@sinclair/typebox';
import { formatSeconds } from '../../clock.js';
import type { CommandEvent } from '../history/history.js';
import { result, type CheckDefinition } from './types.js';

const KILLED = {
  'scenario-end': "still running at the scenario's end plus the grace period: ended by lab",
  interrupted: 'ended by lab: the run was interrupted',
} as const;

/** What `timeout DURATION CMD` exits with when DURATION ran out: a CI engineer's bound, not a failure of CMD itself. */
const TIMEOUT_EXIT = 124;

export const workloadCommand: CheckDefinition = {
  name: 'workload-command',
  describe: 'the command given with `--workload` exited 0 by itself (runs by itself when there is one)',
  params: Type.Object({}, { additionalProperties: false }),
  implicitWhen: (history) => history.events.some((e) => e.kind === 'command'),
  timeFigure: 'durationMs',
  run(history) {
    const name = 'workload-command';
    const events = history.events.filter((e): e is CommandEvent => e.kind === 'command');
    const start = events.find((e) => e.phase === 'start');
    const end = events.find((e) => e.phase === 'end');
    if (!start) return result(name, 'unknown', 'no --workload command was run', [], { exitCode: null, durationMs: null });
    if (!end)
      return result(name, 'unknown', `\`${start.command}\` started at ${formatSeconds(start.t)} and no end was recorded`, [], {
        exitCode: null,
        durationMs: null,
      });
    const how = end.killed
      ? KILLED[end.killed]
      : end.exitCode === null
        ? `ended by ${end.signal ?? 'a signal'}`
        : end.exitCode === TIMEOUT_EXIT
          ? `exit ${TIMEOUT_EXIT}, the code timeout(1) exits with when it stops the command it ran at its limit (end a loop by time inside the script instead, or give that command a limit shorter than the scenario)`
          : `exit ${end.exitCode}`;
    const evidence = [
      `\`${end.command}\`: ${how}, after ${formatSeconds(end.durationMs ?? end.t - start.t)} (started ${formatSeconds(start.t)})`,
      ...(end.tail && end.tail.length > 0 ? ['its last lines:', ...end.tail.map((l) => `  | ${l}`)] : ['it printed nothing']),
    ];
    const figures = { exitCode: end.exitCode ?? null, durationMs: end.durationMs ?? null };
    if (end.killed || end.exitCode !== 0) return result(name, 'fail', `the workload command failed: ${how}`, evidence, figures);
    return result(name, 'pass', `the workload command exited 0 after ${formatSeconds(end.durationMs ?? 0)}`, evidence, figures);
  },
};
