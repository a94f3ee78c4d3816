/** `--junit FILE`: one testsuite per scenario with its figures as properties, one testcase per check; unknown is an <error>, fail a <failure>. */
import type { RunResult } from '../scenarios/engine.js';
import type { CommandEvent } from '../scenarios/history/history.js';
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
    ...properties(result),
    ...cases,
    // Findings are no testcases (nothing failed), and the workload's output is no check's: the suite's output says both.
    ...suiteOutput(result),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The run's figures as the suite's properties, so a CI dashboard can chart them per run (milliseconds; empty when not measured). */
function properties(result: RunResult): string[] {
  const f = result.figures;
  const ms = (v: number | null): string => (v === null ? '' : String(Math.round(v)));
  const pairs: [string, string][] = [
    ['detection_ms', ms(f.detectionMs)],
    ['promotion_ms', ms(f.promotionMs)],
    ['downtime_ms', ms(f.downtimeMs)],
    ['writes_ok', String(f.writesOk)],
    ['writes_failed', String(f.writesFailed)],
    ['writes_indeterminate', String(f.writesIndeterminate)],
    ...f.paths.flatMap((p): [string, string][] => [
      [`path.${p.path}.downtime_ms`, ms(p.downtimeMs)],
      [`path.${p.path}.p99_during_ms`, ms(p.latency.during?.p99 ?? null)],
      [`path.${p.path}.hung`, String(p.hung)],
    ]),
  ];
  return ['    <properties>', ...pairs.map(([k, v]) => `      <property name="${x(k)}" value="${x(v)}"/>`), '    </properties>'];
}

/** The findings and the --workload command's last lines, as the suite's output; nothing when there are neither. */
function suiteOutput(result: RunResult): string[] {
  const findings = result.findings.flatMap((f) => [`finding ${f.id}: ${f.summary}`, ...f.evidence.map((e) => `  ${e}`)]);
  const end = result.history.events.find((e): e is CommandEvent => e.kind === 'command' && e.phase === 'end');
  const workload = end ? [`workload \`${end.command}\`, its last lines:`, ...(end.tail ?? []).map((l) => `  | ${l}`)] : [];
  const lines = [...findings, ...workload];
  return lines.length > 0 ? [`    <system-out>${x(lines.join('\n'))}</system-out>`] : [];
}
