/** Reports from a hand-made run: TAP, JUnit, JSON, the live timeline and the picture say the same thing. */
import t from 'tap';
import { formatSummary, liveTimeline } from '../../lab/report/console.js';
import { jsonReport } from '../../lab/report/json.js';
import { junitReport } from '../../lab/report/junit.js';
import { htmlReport, svgTimeline } from '../../lab/report/picture.js';
import { tapReport } from '../../lab/report/tap.js';
import type { History } from '../../lab/scenarios/history/history.js';
import { parseScenario } from '../../lab/scenarios/load.js';
import { failoverHistory, resultOf } from './build-history.js';

const scenario = parseScenario(
  'name: test\nsummary: a <test> & more\nsteps: [{sleep: 1s}]\nchecks: [single-primary, failover-time, rejoined, no-lost-writes]\n',
  'test.yaml',
);

const passing = resultOf(failoverHistory().step(59_000, 0, 'sleep: 1s', 'ok').build(), scenario.checks);
const failing = resultOf(
  failoverHistory({ oldStaysPrimaryUntil: 33_000 }).step(59_000, 0, 'sleep: 1s', 'ok').build(),
  scenario.checks,
);

t.test('TAP: one point per check, failures as not ok with YAML diagnostics', async (t) => {
  const tap = tapReport(failing);
  t.match(tap, /^TAP version 14\n/);
  t.match(tap, /\n1\.\.5\n/);
  t.match(tap, /\nok 1 - steps: /);
  t.match(tap, /\nnot ok 2 - single-primary: two primaries/);
  t.match(tap, /\n {2}---\n {2}status: fail\n/);
});

t.test('JSON: every figure, check and the History', async (t) => {
  const json = JSON.parse(jsonReport(scenario, passing)) as {
    verdict: string;
    figures: Record<string, number>;
    checks: { name: string; figures: Record<string, number> }[];
    history: History;
  };
  t.equal(json.verdict, 'pass');
  t.equal(json.figures.promotionMs, 21_000);
  t.match(json.figures, { writesOk: 390, writesFailed: 20, writesIndeterminate: 1 });
  t.match(json.checks.find((c) => c.name === 'no-lost-writes')?.figures, {
    acknowledgedPresent: 390,
    lost: 0,
    indeterminateLanded: 0,
    indeterminateMissing: 1,
    failedPresent: 0,
  });
  t.equal(json.checks.length, 5);
  t.equal(json.history.events.length, passing.history.events.length);
});

t.test('the live timeline prints changes, not every sample', async (t) => {
  const lines: string[] = [];
  const timeline = liveTimeline((l) => lines.push(l));
  for (const e of passing.history.events) timeline.listen(e);
  t.ok(lines.length < 30, `${lines.length} lines for ${passing.history.events.length} events`);
  t.match(lines.join('\n'), /FAULT\s+crash-node on node1/);
  t.match(lines.join('\n'), /node2\s+replica tl 1 -> primary tl 2/);
  t.match(lines.join('\n'), /writes\s+outcome unknown on node1 \(terminated\): .*\n.*writes\s+failing on node1 \(refused\)/);
  t.match(
    lines.join('\n'),
    /writes\s+acknowledged again by node2 after 21\.0 s without an acknowledgement/,
    'counted from the first unacknowledged write',
  );
  t.match(formatSummary(failing), /scenario test: FAIL/);
  t.match(formatSummary(passing), /writes 390 ok, 20 failed, 1 indeterminate/);
  t.match(formatSummary(passing), /indeterminate, not landed: 1 \(101\)/);
});

t.test('the picture: a lane per node, the writes, the fault; HTML escapes and embeds it', async (t) => {
  const svg = svgTimeline(passing.history);
  for (const node of ['node1', 'node2', 'node3', 'writes']) t.match(svg, new RegExp(`>${node}</text>`));
  t.match(svg, /crash-node node1/);
  t.match(svg, /fill="#2e7d32"/, 'a primary stretch');
  t.match(svg, /fill="#fb8c00"\/>/, 'the indeterminate write');
  t.match(svg, />write indeterminate</);
  const html = htmlReport(scenario, passing);
  t.match(html, /a &lt;test&gt; &amp; more/);
  t.match(html, /writes 390 ok, 20 failed, 1 indeterminate/);
  t.match(html, /<svg /);
});

t.test('a finding is in every output: TAP comments, JUnit system-out, the HTML page, the console', async (t) => {
  const finding = {
    id: 'entry-path-hung-operations',
    kind: 'observation' as const,
    node: 'haproxy-rw',
    summary: '3 operation(s) on haproxy-rw hung',
    evidence: ['3 x no session within the connect bound'],
  };
  const noted = { ...passing, findings: [finding] };
  t.match(tapReport(noted), /\n# finding entry-path-hung-operations: 3 operation\(s\) on haproxy-rw hung\n# {3}3 x no session/);
  t.match(
    junitReport(noted),
    /<system-out>finding entry-path-hung-operations: 3 operation\(s\) on haproxy-rw hung\n {2}3 x no session/,
  );
  t.match(htmlReport(scenario, noted), /<h2>Findings<\/h2><ul><li><b>entry-path-hung-operations<\/b>/);
  t.match(formatSummary(noted), /NOTE {3}entry-path-hung-operations/);
  t.notMatch(tapReport(passing), /# finding/, 'none without one');
});
