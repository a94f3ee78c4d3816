import t from 'tap';
import { chaosHtml, chaosJson, chaosSvg, formatChaosFigures } from '../../lab/report/chaos.js';
import { computeChaosFigures } from '../../lab/scenarios/chaos/figures.js';
import type { ChaosRun } from '../../lab/scenarios/chaos/run.js';
import { chaosCatalogue } from '../../lab/scenarios/chaos/schedule.js';
import { runChecks, verdict } from '../../lab/scenarios/checks/index.js';
import { computeFigures } from '../../lab/scenarios/checks/figures.js';
import { failoverHistory, HistoryBuilder } from '../scenarios/build-history.js';

/** A 10-minute History: writes every 50 ms, a crash at 5 minutes. */
function tenMinutes() {
  return new HistoryBuilder()
    .writes(0, 300_000, 'node1', 'ok', 50)
    .fault(300_000, 'crash-node', 'node1')
    .writes(300_000, 320_000, 'node1', 'fail', 1000)
    .heal(330_000, 'crash-node', 'node1')
    .writes(321_000, 600_000, 'node2', 'ok', 50)
    .build();
}

t.test('the picture is aggregated: its size does not grow with the writes', async (t) => {
  const f = computeChaosFigures(tenMinutes());
  const svg = chaosSvg(f, 'ten minutes');
  const elements = (svg.match(/<(rect|line|polyline|circle|text)\b/g) ?? []).length;
  t.ok(elements < 1500, `${elements} elements for ${f.phases.reduce((n, p) => n + p.ok, 0)} writes`);
  t.match(svg, /<title>crash-node on node1: 300\.0 s to 330\.0 s<\/title>/, 'the fault as a band, with when');
  t.match(svg, /longest: 21\.1 s, crash-node on node1/, 'the longest unavailability named with its fault');
  t.equal((svg.match(/<polyline/g) ?? []).length, 8, 'p50, p95, p99 and max, each broken once by the outage');
});

t.test('console, JSON and HTML carry the figures', async (t) => {
  const history = failoverHistory().build();
  const checks = runChecks(history, [{ name: 'single-primary', params: {} }]).filter((c) => c.name !== 'steps');
  const run: ChaosRun = {
    settings: {
      seed: 7,
      durationMs: 60_000,
      faults: chaosCatalogue(['crash-node']),
      intervalMs: [20_000, 60_000],
      quietMs: 5_000,
      overlap: false,
    },
    schedule: [{ n: 1, at: 10_000, fault: 'crash-node', role: 'leader', holdMs: 30_000, pick: 0 }],
    result: {
      history,
      checks,
      verdict: verdict(checks),
      figures: computeFigures(history),
      lab: { healthy: true, problems: [] },
      interrupted: false,
      wallMs: 61_000,
      findings: [],
    },
    figures: computeChaosFigures(history),
    historyFile: '/tmp/h.jsonl',
  };
  const text = formatChaosFigures(run.figures);
  t.match(text, /longest unavailability: 21\.1 s from 9\.9 s to 31\.0 s, caused by crash-node on node1/);
  t.match(text, /quiet .* 5 ms/);
  const json = JSON.parse(chaosJson(run));
  t.same(
    [json.chaos.seed, json.chaos.faults, json.schedule.length, json.verdict, json.figures.longest.cause, json.historyFile],
    [7, ['crash-node'], 1, 'pass', 'crash-node on node1', '/tmp/h.jsonl'],
  );
  t.notOk('history' in json, 'the History stays in its file');
  const html = chaosHtml(run);
  t.match(html, /<h1>chaos, seed 7: <span[^>]*>PASS<\/span><\/h1>/);
  t.match(html, /caused by <b>crash-node on node1<\/b>/);
  t.match(html, /#1 +10\.0 s {2}crash-node on leader for 30\.0 s/);
});
