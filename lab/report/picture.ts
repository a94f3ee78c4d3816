/**
 * A picture of a run: one lane per node coloured by what it was (accepting writes, replica, down,
 * other), a lane of writes (acknowledged / failed), and the faults and heals as vertical markers.
 * SVG on its own, or inside an HTML page with the checks and figures.
 */
import type { RunResult } from '../scenarios/engine.js';
import type { FaultEvent, HealEvent, History, SampleEvent, WriteEvent } from '../scenarios/history.js';
import type { Scenario } from '../scenarios/load.js';
import { endOf } from '../scenarios/observe.js';
import { formatSeconds } from '../clock.js';
import { categoryOf, describeSample, type NodeCategory } from './labels.js';
import { escapeXml as x } from './xml.js';

const COLOURS: Record<NodeCategory, string> = { primary: '#2e7d32', replica: '#1e88e5', down: '#9e9e9e', other: '#f9a825' };
const LEGEND: Record<NodeCategory, string> = { primary: 'accepts writes', replica: 'streaming replica', down: 'down / unreachable', other: 'other (starting, demoted, ...)' };
const WRITE_COLOURS = { ok: '#43a047', fail: '#e53935' } as const;

const WIDTH = 1000;
const LEFT = 80;
const RIGHT = 20;
const TOP = 50;
const LANE = 28;
const GAP = 8;

/** Tick spacing in seconds giving at most ~12 ticks. */
function tickStep(totalSeconds: number): number {
  return [1, 2, 5, 10, 15, 30, 60, 120, 300].find((s) => totalSeconds / s <= 12) ?? 600;
}

export function svgTimeline(history: History): string {
  const nodes = history.meta.nodes;
  const end = Math.max(endOf(history), 1000);
  const xOf = (t: number) => LEFT + (t / end) * (WIDTH - LEFT - RIGHT);
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
      parts.push(`<rect x="${xOf(s.t).toFixed(1)}" y="${laneY(i)}" width="${w.toFixed(1)}" height="${LANE}" fill="${COLOURS[categoryOf(s)]}"><title>${x(`${node} ${formatSeconds(s.t)}: ${describeSample(s)}`)}</title></rect>`);
    }
  }

  // Writes lane: acknowledged writes in the upper half, failed ones in the lower.
  parts.push(`<text x="${LEFT - 8}" y="${writesY + LANE / 2 + 4}" text-anchor="end">writes</text>`);
  parts.push(`<rect x="${LEFT}" y="${writesY}" width="${WIDTH - LEFT - RIGHT}" height="${LANE}" fill="#f5f5f5"/>`);
  for (const w of history.events.filter((e): e is WriteEvent => e.kind === 'write' && e.phase !== 'invoke')) {
    const y = w.phase === 'ok' ? writesY + 2 : writesY + LANE / 2 + 1;
    parts.push(`<rect x="${xOf(w.t).toFixed(1)}" y="${y}" width="1.2" height="${LANE / 2 - 3}" fill="${WRITE_COLOURS[w.phase === 'ok' ? 'ok' : 'fail']}"/>`);
  }

  // Faults and heals: vertical lines across every lane, labelled above.
  const markers = history.events.filter((e): e is FaultEvent | HealEvent => e.kind === 'fault' || e.kind === 'heal');
  for (const [k, m] of markers.entries()) {
    const colour = m.kind === 'fault' ? '#c62828' : '#2e7d32';
    const mx = xOf(m.t).toFixed(1);
    parts.push(`<line x1="${mx}" y1="${TOP - 6}" x2="${mx}" y2="${bottom + 4}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${mx}" y="${TOP - 10 - (k % 2) * 12}" fill="${colour}" text-anchor="middle" font-size="11">${x(`${m.kind === 'fault' ? '' : 'heal '}${m.fault} ${m.node}`)}</text>`);
  }

  // Time axis.
  const step = tickStep(end / 1000);
  for (let s = 0; s * 1000 <= end; s += step) {
    const tx = xOf(s * 1000).toFixed(1);
    parts.push(`<line x1="${tx}" y1="${bottom + 4}" x2="${tx}" y2="${bottom + 9}" stroke="#555"/>`, `<text x="${tx}" y="${bottom + 22}" text-anchor="middle" font-size="11">${s}s</text>`);
  }

  // Legend.
  const legend = [...(Object.keys(COLOURS) as NodeCategory[]).map((c) => [COLOURS[c], LEGEND[c]] as const), [WRITE_COLOURS.ok, 'write acknowledged'] as const, [WRITE_COLOURS.fail, 'write failed'] as const];
  legend.forEach(([colour, label], k) => {
    const lx = LEFT + (k % 4) * 220;
    const ly = bottom + 40 + Math.floor(k / 4) * 18;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour}"/><text x="${lx + 18}" y="${ly}" font-size="12">${x(label)}</text>`);
  });

  const title = `${history.meta.scenario} on ${history.meta.lab} (${history.meta.provider}), ${history.meta.startedAt}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="13" shape-rendering="crispEdges">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="16" font-weight="bold">${x(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

const STATUS_COLOURS = { pass: '#2e7d32', fail: '#c62828', unknown: '#f9a825' } as const;

export function htmlReport(scenario: Scenario, result: RunResult): string {
  const f = result.figures;
  const rows = result.checks
    .map(
      (c) =>
        `<tr><td style="color:${STATUS_COLOURS[c.status]};font-weight:bold">${c.status.toUpperCase()}</td><td>${x(c.name)}</td><td>${x(c.summary)}<ul>${c.evidence.map((e) => `<li>${x(e)}</li>`).join('')}</ul></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${x(`lab scenario ${scenario.name}: ${result.verdict}`)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1040px}td{vertical-align:top;padding:4px 8px;border-bottom:1px solid #ddd}ul{margin:4px 0;padding-left:1.2em;color:#444;font-size:90%}</style></head>
<body>
<h1>${x(scenario.name)}: <span style="color:${STATUS_COLOURS[result.verdict]}">${result.verdict.toUpperCase()}</span>${result.interrupted ? ' (interrupted)' : ''}</h1>
<p>${x(scenario.summary)}</p>
<p>Detection ${formatSeconds(f.detectionMs)} · promotion ${formatSeconds(f.promotionMs)} · write downtime ${formatSeconds(f.downtimeMs)} · writes ${f.writesOk} ok, ${f.writesFailed} failed · wall time ${formatSeconds(result.wallMs)} · lab afterwards: ${result.lab.healthy ? 'healthy' : `NOT healthy (${x(result.lab.problems.join('; '))})`}</p>
${svgTimeline(result.history)}
<table>${rows}</table>
</body></html>
`;
}
