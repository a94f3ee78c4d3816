/**
 * `--junit FILE`: one testsuite per scenario with its figures as properties, a testcase per check and
 * one per step, each timed with the duration it stands for; unknown is an <error>, fail a <failure>.
 * test/fixtures/junit-10.xsd (Jenkins xUnit's JUnit schema) is what the tests validate it against.
 */
import type { RunResult } from '../scenarios/engine.js';
import { CHECKS } from '../scenarios/checks/index.js';
import { stepsSucceeded } from '../scenarios/checks/steps-succeeded.js';
import type { CheckResult } from '../scenarios/checks/types.js';
import type { CommandEvent, History, StepEvent } from '../scenarios/history/history.js';
import { endOf } from '../scenarios/history/after-run.js';
import { escapeXml as x } from './xml.js';

type Outcome = { element: 'failure' | 'error' | 'skipped'; message: string; body?: string };

/** One <testcase>, before it is written. */
interface Case {
  classname: string;
  name: string;
  timeMs: number;
  outcome?: Outcome;
  out: string;
}

export function junitReport(result: RunResult): string {
  const name = result.history.meta.scenario;
  const steps = stepCases(result.history, `scenario.${name}.steps`);
  // The `steps` check is its steps' verdict: shown as them, each with its own time, when there are any.
  const checks = result.checks.filter((c) => !(c.name === stepsSucceeded.name && steps.length > 0));
  const cases = [...checks.map((c) => checkCase(c, result.history, `scenario.${name}`)), ...steps];
  const count = (element: Outcome['element']) => cases.filter((c) => c.outcome?.element === element).length;
  const counts = `tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}"`;
  const time = seconds(result.wallMs);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="lab scenario" ${counts} time="${time}">`,
    `  <testsuite name="${x(name)}" ${counts} skipped="${count('skipped')}" time="${time}" timestamp="${x(result.history.meta.startedAt)}">`,
    ...properties(result),
    ...cases.map(testcase),
    // Findings are no testcases (nothing failed), and the workload's output is no check's: the suite's output says both.
    ...suiteOutput(result),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Seconds as JUnit writes them (the schema's time takes at most three decimals). */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function testcase(c: Case): string {
  const o = c.outcome;
  const outcome = !o
    ? ''
    : o.body === undefined
      ? `\n      <${o.element} message="${x(o.message)}"/>`
      : `\n      <${o.element} message="${x(o.message)}">${x(o.body)}</${o.element}>`;
  return `    <testcase classname="${x(c.classname)}" name="${x(c.name)}" time="${seconds(c.timeMs)}">${outcome}\n      <system-out>${x(c.out)}</system-out>\n    </testcase>`;
}

/**
 * A check's time is the duration it judged: its definition's `timeFigure` when measured (failover-time's
 * promotion, rejoined's rejoin, the workload's run); otherwise it judged the whole run, from the History's
 * start to its last event.
 */
function checkCase(c: CheckResult, history: History, classname: string): Case {
  const figure = CHECKS[c.name]?.timeFigure;
  const measured = figure === undefined ? null : (c.figures[figure] ?? null);
  const body = [...c.evidence, ...Object.entries(c.figures).map(([k, v]) => `${k}: ${v ?? 'n/a'}`)].join('\n');
  const outcome: Outcome | undefined =
    c.status === 'fail'
      ? { element: 'failure', message: c.summary, body }
      : c.status === 'unknown'
        ? { element: 'error', message: c.summary, body }
        : undefined;
  return {
    classname,
    name: c.name,
    timeMs: measured ?? endOf(history),
    ...(outcome ? { outcome } : {}),
    out: `${c.summary}\n${body}`,
  };
}

/**
 * A testcase per step that ended, timed from its start to its end. A step that was interrupted once
 * started is an <error> (the `steps` check's unknown), one never started because an earlier step failed
 * or the run was interrupted is <skipped>.
 */
function stepCases(history: History, classname: string): Case[] {
  const steps = history.events.filter((e): e is StepEvent => e.kind === 'step');
  return steps
    .filter((e) => e.status !== 'start')
    .map((end) => {
      const start = steps.find((e) => e.status === 'start' && e.index === end.index);
      const detail = end.detail ?? '';
      const outcome: Outcome | undefined =
        end.status === 'fail'
          ? { element: 'failure', message: detail, body: detail }
          : end.status === 'skipped'
            ? start
              ? { element: 'error', message: detail, body: detail }
              : { element: 'skipped', message: detail }
            : undefined;
      return {
        classname,
        name: `${end.index + 1}. ${end.step}`,
        timeMs: start ? end.t - start.t : 0,
        ...(outcome ? { outcome } : {}),
        out: `${end.step}: ${end.status}${detail ? ` (${detail})` : ''}`,
      };
    });
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
