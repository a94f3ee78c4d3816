/**
 * Every shipped scenario, the degrading ones included, on the tuned asynchronous lab of
 * test/fixtures/scenario-lab.yaml, through its entry points too (run by docker.ts on the lab it
 * brought up); all but watchdog, which the Vagrant lab runs (as-documented-vagrant.ts: the same
 * emulated watchdog in the same containers), so that the two halves of CI's integration files take
 * about as long. The chaos run is the synchronous lab's (as-documented-vagrant.ts), which must pass;
 * a second, shorter one here would check the same mechanics again.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.js';
import type { SuitePlan } from './scenario-suite.js';

export const SHIPPED_SUITE: SuitePlan = {
  lab: 'scen',
  scenarios: readdirSync(path.join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .filter((name) => name !== 'watchdog')
    .sort(),
  lossless: false,
  // scenario-lab.yaml has an entry: section: HAProxy, PgBouncer and libpq clients run through every scenario.
  entryPaths: true,
  // The --workload example: a small script through lab env's settings, during the switchover (no extra scenario).
  workload: { scenario: 'switchover', command: path.join(ROOT, 'test/fixtures/workload.sh') },
};
