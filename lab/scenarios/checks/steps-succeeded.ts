/**
 * The check `steps`: every step of the scenario did what it promised (each wait met its deadline);
 * always checked. Its id stays `steps`, as reports, scenario files and docs/scenarios.md name it: the
 * word means the scenario's steps, as everywhere.
 */
import { Type } from '@sinclair/typebox';
import type { StepEvent } from '../history/history.js';
import { result, type CheckDefinition } from './types.js';

export const stepsSucceeded: CheckDefinition = {
  name: 'steps',
  describe: 'every scenario step succeeded (waits met their deadlines)',
  params: Type.Object({}, { additionalProperties: false }),
  run(history) {
    const name = 'steps';
    const ends = history.events.filter((e): e is StepEvent => e.kind === 'step' && e.status !== 'start');
    const failed = ends.filter((e) => e.status === 'fail');
    const skipped = ends.filter((e) => e.status === 'skipped');
    const evidence = ends.map((e) => `${e.index + 1}. ${e.step}: ${e.status}${e.detail ? ` (${e.detail})` : ''}`);
    if (failed.length > 0)
      return result(
        name,
        'fail',
        `step ${failed[0]!.index + 1} (${failed[0]!.step}) failed: ${failed[0]!.detail ?? ''}`,
        evidence,
      );
    if (skipped.length > 0 || ends.length === 0)
      return result(name, 'unknown', `${skipped.length} step(s) did not run`, evidence);
    return result(name, 'pass', `all ${ends.length} steps succeeded`, evidence);
  },
};
