/**
 * A picture of a run: one lane per node coloured by what it was (accepting writes, replica, down,
 * other), a lane of writes (acknowledged / indeterminate / failed), and the faults and heals as vertical markers.
 * SVG on its own, or inside an HTML page with the checks and figures.
 */
import type { RunResult } from '../scenarios/engine.js';
import type { FaultEvent, HealEvent, History, SampleEvent, WriteEvent, WriteOutcome } from '../scenarios/history/history.js';
import type { Scenario } from '../scenarios/load.js';
import { endOf } from '../scenarios/history/after-run.js';
import { formatSeconds } from '../clock.js';
import { categoryOf, describeSample, type NodeCategory } from './labels.js';
import { STATUS_COLOURS, SVG_RIGHT, SVG_WIDTH, svgDocument, svgLegend, svgTimeAxis } from './svg.js';
import { pathLine } from './console.js';
import { escapeXml as x } from './xml.js';

const COLOURS: Record<NodeCategory, string> = { primary: '#2e7d32', replica: '#1e88e5', down: '#9e9e9e', other: '#f9a825' };
const LEGEND: Record<NodeCategory, string> = {
  primary: 'accepts writes',
  replica: 'streaming replica',
  down: 'down / unreachable',
  other: 'other (starting, demoted, ...)',
};
/** Each outcome's colour, label and row (top to bottom) in the writes lane. */
const WRITE_MARKS: Record<WriteOutcome, { colour: string; label: string; row: number }> = {
  ok: { colour: '#43a047', label: 'write acknowledged', row: 0 },
  indeterminate: { colour: '#fb8c00', label: 'write indeterminate', row: 1 },
  fail: { colour: '#e53935', label: 'write failed', row: 2 },
};

const LEFT = 80;
const TOP = 50;
const LANE = 28;
const GAP = 8;

export function svgTimeline(history: History): string {
  const nodes = history.meta.nodes;
  const end = Math.max(endOf(history), 1000);
  const xOf = (t: number) => LEFT + (t / end) * (SVG_WIDTH - LEFT - SVG_RIGHT);
  const laneY = (i: number) => TOP + i * (LANE + GAP);
  const writesY = laneY(nodes.length);
  const bottom = writesY + LANE;
  const height = bottom + 80;
  const parts: string[] = [];

  // Node lanes: each sample's state holds until that node's next sample.
  for (const [i, node] of nodes.entries()) {
    const own = history.events.filter((e): e is SampleEvent => e.kind === 'sample' && e.node === node);
    parts.push(`<text x="${LEFT - 8}" y="${laneY(i) + LANE / 2 + 4}" text-anchor="end">${x(node)}</text>`);
    for (const [k, s] of own.entries()) {
      const until = Math.min(own[k + 1]?.t ?? s.t + history.meta.samplePeriodMs, end);
      const w = Math.max(xOf(until) - xOf(s.t), 0.5);
      parts.push(
        `<rect x="${xOf(s.t).toFixed(1)}" y="${laneY(i)}" width="${w.toFixed(1)}" height="${LANE}" fill="${COLOURS[categoryOf(s)]}"><title>${x(`${node} ${formatSeconds(s.t)}: ${describeSample(s)}`)}</title></rect>`,
      );
    }
  }

  // Writes lane: a row per outcome, acknowledged on top, failed at the bottom.
  parts.push(`<text x="${LEFT - 8}" y="${writesY + LANE / 2 + 4}" text-anchor="end">writes</text>`);
  parts.push(`<rect x="${LEFT}" y="${writesY}" width="${SVG_WIDTH - LEFT - SVG_RIGHT}" height="${LANE}" fill="#f5f5f5"/>`);
  const row = LANE / 3;
  for (const w of history.events.filter(
    (e): e is WriteEvent & { phase: WriteOutcome } => e.kind === 'write' && e.phase !== 'invoke',
  )) {
    const mark = WRITE_MARKS[w.phase];
    parts.push(
      `<rect x="${xOf(w.t).toFixed(1)}" y="${(writesY + mark.row * row + 1).toFixed(1)}" width="1.2" height="${(row - 2).toFixed(1)}" fill="${mark.colour}"/>`,
    );
  }

  // Faults and heals: vertical lines across every lane, labelled above.
  const markers = history.events.filter((e): e is FaultEvent | HealEvent => e.kind === 'fault' || e.kind === 'heal');
  for (const [k, m] of markers.entries()) {
    const colour = m.kind === 'fault' ? '#c62828' : '#2e7d32';
    const mx = xOf(m.t).toFixed(1);
    parts.push(
      `<line x1="${mx}" y1="${TOP - 6}" x2="${mx}" y2="${bottom + 4}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      `<text x="${mx}" y="${TOP - 10 - (k % 2) * 12}" fill="${colour}" text-anchor="middle" font-size="11">${x(`${m.kind === 'fault' ? '' : 'heal '}${m.fault} ${m.node}`)}</text>`,
    );
  }

  parts.push(...svgTimeAxis(end, xOf, bottom + 4));

  // Legend.
  const legend = [
    ...(Object.keys(COLOURS) as NodeCategory[]).map((c) => ({ colour: COLOURS[c], label: LEGEND[c], swatch: 'box' as const })),
    ...Object.values(WRITE_MARKS).map((m) => ({ colour: m.colour, label: m.label, swatch: 'box' as const })),
  ];
  parts.push(...svgLegend(legend, LEFT, bottom + 40, 220));

  const title = `${history.meta.scenario} on ${history.meta.lab} (${history.meta.provider}), ${history.meta.startedAt}`;
  return svgDocument({ width: SVG_WIDTH, height, title, titleAt: { x: LEFT, y: 16 }, crisp: true }, parts);
}

export function htmlReport(scenario: Scenario, result: RunResult): string {
  const f = result.figures;
  const rows = result.checks
    .map(
      (c) =>
        `<tr><td style="color:${STATUS_COLOURS[c.status]};font-weight:bold">${c.status.toUpperCase()}</td><td>${x(c.name)}</td><td>${x(c.summary)}<ul>${c.evidence.map((e) => `<li>${x(e)}</li>`).join('')}</ul></td></tr>`,
    )
    .join('\n');
  // The same lines as the console's, so the two reports cannot tell different stories.
  const paths = (f.paths ?? []).map((p) => `<li>${x(pathLine(p).trim())}</li>`).join('');
  const findings = result.findings
    .map((n) => `<li><b>${x(n.id)}</b>: ${x(n.summary)}<ul>${n.evidence.map((e) => `<li>${x(e)}</li>`).join('')}</ul></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${x(`lab scenario ${scenario.name}: ${result.verdict}`)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1040px}td{vertical-align:top;padding:4px 8px;border-bottom:1px solid #ddd}ul{margin:4px 0;padding-left:1.2em;color:#444;font-size:90%}</style></head>
<body>
<h1>${x(scenario.name)}: <span style="color:${STATUS_COLOURS[result.verdict]}">${result.verdict.toUpperCase()}</span>${result.interrupted ? ' (interrupted)' : ''}</h1>
<p>${x(scenario.summary)}</p>
<p>Detection ${formatSeconds(f.detectionMs)} · promotion ${formatSeconds(f.promotionMs)} · write downtime ${formatSeconds(f.downtimeMs)} · writes ${f.writesOk} ok, ${f.writesFailed} failed, ${f.writesIndeterminate} indeterminate · wall time ${formatSeconds(result.wallMs)} · lab afterwards: ${result.lab.healthy ? 'healthy' : `NOT healthy (${x(result.lab.problems.join('; '))})`}</p>
${svgTimeline(result.history)}
<table>${rows}</table>
${paths.length > 0 ? `<h2>Entry paths</h2><ul>${paths}</ul>` : ''}
${findings.length > 0 ? `<h2>Findings</h2><ul>${findings}</ul>` : ''}
</body></html>
`;
}
