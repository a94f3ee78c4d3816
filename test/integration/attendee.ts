/**
 * The attendee of one seat, played over ssh: each exercise of the seat's handout (exercises.ts, the
 * data the page is rendered from) typed node by node as the page says, then its check, then
 * `lab workshop status` until the exercise's checkpoints are on. Each checkpoint must be off before
 * its exercise, so a checkpoint that comes on by itself, or an exercise that does nothing, fails.
 */
import type { Result } from 'execa';
import type { Test } from 'tap';
import { waitUntil } from '../../lab/clock.js';
import type { Checkpoint } from '../../lab/workshop/checkpoints.js';
import type { Exercise } from '../../lab/workshop/exercises.js';

export interface Attendee {
  /** The node the attendee lands on. */
  first: string;
  /** One ssh command to the seat, with what is typed as its input. */
  ssh(command: string, input?: string): Promise<Result>;
  /** The seat's checkpoints, as `lab workshop status --json` reports them. */
  checkpoints(): Promise<Checkpoint[]>;
}

export async function playExercises(t: Test, exercises: readonly Exercise[], attendee: Attendee): Promise<void> {
  for (const [i, ex] of exercises.entries()) {
    const name = `exercise ${i + 1} (${ex.title})`;
    const before = await attendee.checkpoints();
    t.same(
      ex.turnsOn.filter((c) => before.includes(c)),
      [],
      `${name}: its checkpoints ${ex.turnsOn.join(', ') || '(none)'} are off before it`,
    );
    for (const step of ex.steps) {
      // As typed at a terminal: the lines run from a file with no input, so an `ssh` among them cannot
      // swallow the lines after it, and `bash -e` stops at the first that fails.
      const there = step.node === attendee.first ? '' : `scp -q $f ${step.node}:$f && ssh ${step.node} `;
      const r = await attendee.ssh(`f=$(mktemp) && cat >$f && ${there}bash -e $f </dev/null`, `${step.commands.join('\n')}\n`);
      t.equal(r.exitCode, 0, `${name} on ${step.node}: ${r.exitCode === 0 ? 'done' : `${r.stdout}\n${r.stderr}`.slice(-2000)}`);
      if (r.exitCode !== 0) return;
    }
    const check = await waitUntil(
      async () => {
        const r = await attendee.ssh(ex.check);
        return r.exitCode === 0 ? { ok: true, value: r } : { ok: false, reason: `${r.stdout}${r.stderr}`.slice(-500) };
      },
      { what: `${name}: its check \`${ex.check}\``, timeoutMs: 120_000, intervalMs: 3000 },
    ).catch((e: Error) => e);
    t.notOk(check instanceof Error, `${name}: its check passes${check instanceof Error ? `: ${check.message}` : ''}`);
    const on = await waitUntil(
      async () => {
        const now = await attendee.checkpoints();
        return ex.turnsOn.every((c) => now.includes(c))
          ? { ok: true, value: now }
          : { ok: false, reason: `at ${now.join(', ') || 'none'}` };
      },
      { what: `${name}: checkpoints ${ex.turnsOn.join(', ')}`, timeoutMs: 120_000, intervalMs: 3000 },
    ).catch((e: Error) => e);
    t.notOk(
      on instanceof Error,
      `${name}: status shows ${ex.turnsOn.join(', ') || 'no new checkpoint'}${on instanceof Error ? `: ${on.message}` : ''}`,
    );
    if (check instanceof Error || on instanceof Error) return;
  }
}
