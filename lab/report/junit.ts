/** `--junit FILE`: one testsuite per scenario, one testcase per check; unknown is an <error>, fail a <failure>. */
import type { RunResult } from '../scenarios/engine.js';
import { escapeXml as x } from './xml.js';

export function junitReport(result: RunResult): string {
  const name = result.history.meta.scenario;
  const count = (status: string) => result.checks.filter((c) => c.status === status).length;
  const time = (result.wallMs / 1000).toFixed(3);
  const cases = result.checks.map((c) => {
    const body = [...c.evidence, ...Object.entries(c.figures).map(([k, v]) => `${k}: ${v ?? 'n/a'}`)].join('\n');
    const outcome =
      c.status === 'fail'
        ? `\n      <failure message="${x(c.summary)}">${x(body)}</failure>`
        : c.status === 'unknown'
          ? `\n      <error message="${x(c.summary)}">${x(body)}</error>`
          : '';
    return `    <testcase classname="scenario.${x(name)}" name="${x(c.name)}" time="0">${outcome}\n      <system-out>${x(`${c.summary}\n${body}`)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="lab scenario" tests="${result.checks.length}" failures="${count('fail')}" errors="${count('unknown')}" time="${time}">`,
    `  <testsuite name="${x(name)}" tests="${result.checks.length}" failures="${count('fail')}" errors="${count('unknown')}" time="${time}" timestamp="${x(result.history.meta.startedAt)}">`,
    ...cases,
    // Findings are no testcases (nothing failed): the suite's output says them.
    ...(result.findings.length > 0
      ? [
          `    <system-out>${x(result.findings.flatMap((f) => [`finding ${f.id}: ${f.summary}`, ...f.evidence.map((e) => `  ${e}`)]).join('\n'))}</system-out>`,
        ]
      : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
