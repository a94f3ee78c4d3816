/** What every check returns, and how results combine into a verdict. */
import type { TSchema, Static } from '@sinclair/typebox';
import type { History } from '../history/history.js';

export type CheckStatus = 'pass' | 'fail' | 'unknown';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** One line a person reads first. */
  summary: string;
  /** The observations the status rests on, one per line. */
  evidence: string[];
  /** Measured numbers (milliseconds unless the name says otherwise); null when not measurable. */
  figures: Record<string, number | null>;
}

/** A check is a pure function of the History and its parameters from the scenario file. */
export interface CheckDefinition<S extends TSchema = TSchema> {
  name: string;
  describe: string;
  params: S;
  /** Runs with its defaults when the scenario does not name it but the History has what it judges. */
  implicitWhen?(history: History): boolean;
  /**
   * The figure that is the duration this check judged, given as its time in JUnit (a dashboard charts it
   * per run): e.g. failover-time's promotion. A check without one, or that measured none, judged the whole run.
   */
  timeFigure?: string;
  run(history: History, params: Static<S>): CheckResult;
}

const SEVERITY: Record<CheckStatus, number> = { pass: 0, unknown: 1, fail: 2 };

/** The worst status: any failure fails the run; otherwise anything unknown makes it unknown. */
export function verdict(results: readonly CheckResult[]): CheckStatus {
  return results.reduce<CheckStatus>((worst, r) => (SEVERITY[r.status] > SEVERITY[worst] ? r.status : worst), 'pass');
}

export function result(
  name: string,
  status: CheckStatus,
  summary: string,
  evidence: string[] = [],
  figures: CheckResult['figures'] = {},
): CheckResult {
  return { name, status, summary, evidence, figures };
}
