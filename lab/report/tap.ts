/** `--tap`: one TAP 14 test point per check; unknown is `not ok` too (it is not a pass), told apart in the diagnostics. */
import { stringify } from 'yaml';
import type { RunResult } from '../scenarios/engine.js';

export function tapReport(result: RunResult): string {
  const lines = ['TAP version 14', `# scenario ${result.history.meta.scenario}: ${result.verdict}`, `1..${result.checks.length}`];
  for (const [i, c] of result.checks.entries()) {
    lines.push(`${c.status === 'pass' ? 'ok' : 'not ok'} ${i + 1} - ${c.name}: ${c.summary.replace(/#/g, '\\#')}`);
    const diagnostics = stringify({ status: c.status, evidence: c.evidence, figures: c.figures }).trimEnd();
    lines.push('  ---', ...diagnostics.split('\n').map((l) => `  ${l}`), '  ...');
  }
  // Findings are no test points (a known upstream behaviour, a hung operation): the output still says them.
  for (const f of result.findings) lines.push(`# finding ${f.id}: ${f.summary}`, ...f.evidence.map((e) => `#   ${e}`));
  if (!result.lab.healthy) lines.push(`# lab NOT healthy afterwards: ${result.lab.problems.join('; ')}`);
  return `${lines.join('\n')}\n`;
}
