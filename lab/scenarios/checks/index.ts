/** The checks a scenario file can name, and running a scenario's list of them. */
import { Value } from '@sinclair/typebox/value';
import type { History } from '../history/history.js';
import { anomalies } from './anomalies.js';
import { etcdQuorum } from './etcd-quorum.js';
import { failoverTime } from './failover-time.js';
import { faultsHealed } from './faults-healed.js';
import { noLostWrites } from './no-lost-writes.js';
import { readYourWrites } from './read-your-writes.js';
import { replicaStaleness } from './replica-staleness.js';
import { workloadCommand } from './workload-command.js';
import { rejoined } from './rejoined.js';
import { restartApplied } from './restart-applied.js';
import { singlePrimary } from './single-primary.js';
import { stepsSucceeded } from './steps-succeeded.js';
import { leaderKept, timelineAdvanced } from './timeline.js';
import { result, type CheckDefinition, type CheckResult } from './types.js';

export const CHECKS: Readonly<Record<string, CheckDefinition>> = Object.fromEntries(
  [
    singlePrimary,
    failoverTime,
    noLostWrites,
    timelineAdvanced,
    leaderKept,
    rejoined,
    etcdQuorum,
    faultsHealed,
    stepsSucceeded,
    readYourWrites,
    replicaStaleness,
    workloadCommand,
    restartApplied,
    anomalies,
  ].map((c) => [c.name, c as CheckDefinition]),
);

/** A check as a scenario names it, with its parameters (defaults not yet applied). */
export interface CheckSpec {
  name: string;
  params: Record<string, unknown>;
}

/**
 * Runs each named check; the `steps` check always runs first, and after the named ones each check
 * whose `implicitWhen` finds something to judge in the History. A check that throws is `unknown`, not a crash.
 */
export function runChecks(history: History, specs: readonly CheckSpec[]): CheckResult[] {
  const named = specs.filter((s) => s.name !== stepsSucceeded.name);
  const implicit = Object.values(CHECKS).filter((c) => c.implicitWhen?.(history) && !named.some((s) => s.name === c.name));
  const all = [{ name: stepsSucceeded.name, params: {} }, ...named, ...implicit.map((c) => ({ name: c.name, params: {} }))];
  return all.map((spec) => {
    const check = CHECKS[spec.name];
    if (!check) return result(spec.name, 'unknown', `no such check (known: ${Object.keys(CHECKS).join(', ')})`);
    try {
      return check.run(history, Value.Default(check.params, structuredClone(spec.params)) as never);
    } catch (e) {
      return result(spec.name, 'unknown', `the check could not be evaluated: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

export { verdict, type CheckResult, type CheckStatus } from './types.js';
