/** The `--json` report: every figure, every check with its evidence, and the whole History. */
import type { RunResult } from '../scenarios/engine.js';
import type { Scenario } from '../scenarios/load.js';

export function jsonReport(scenario: Scenario, result: RunResult): string {
  return `${JSON.stringify(
    {
      scenario: { name: scenario.name, summary: scenario.summary, file: scenario.file },
      verdict: result.verdict,
      interrupted: result.interrupted,
      wallMs: result.wallMs,
      lab: result.lab,
      figures: result.figures,
      checks: result.checks,
      findings: result.findings,
      history: result.history,
    },
    null,
    2,
  )}\n`;
}
