/**
 * The reports of a chaos run: its figures on the console, as JSON, and an HTML page whose picture is
 * Jepsen's perf graph for this lab: the faults as bands over the write latency, aggregated per bucket
 * (p50, p95, p99 and max of the acknowledged writes, not every point), the stretches without an
 * acknowledged write beneath, and the availability of each window.
 */
import type { ChaosFigures } from '../scenarios/chaos/figures.js';
import type { ChaosRun } from '../scenarios/chaos/run.js';
import { formatSchedule } from '../scenarios/chaos/schedule.js';
import { formatSeconds } from '../clock.js';
import {
  legendRows,
  STATUS_COLOURS,
  SVG_RIGHT,
  SVG_WIDTH,
  svgDocument,
  svgLegend,
  svgTimeAxis,
  type LegendEntry,
} from './svg.js';
import { escapeXml as x } from './xml.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v)} ms`);

/** The chaos figures on the console, after formatSummary's checks. */
export function formatChaosFigures(f: ChaosFigures): string {
  const width = Math.max(5, ...f.phases.map((p) => p.phase.length));
  const lines = [
    `  availability: ${pct(f.availabilityPercent)} of ${formatSeconds(f.to - f.from)}; per ${formatSeconds(f.windowMs)} window: ${f.windows.map((w) => Math.floor(w.percent)).join(' ')}`,
    f.longest
      ? `  longest unavailability: ${formatSeconds(f.longest.ms)} from ${formatSeconds(f.longest.from)} to ${formatSeconds(f.longest.to)}, caused by ${f.longest.cause ?? 'no fault (quiet)'}`
      : '  longest unavailability: none',
    `  write latency per phase (acknowledged writes):`,
    `    ${'phase'.padEnd(width)}  ${'time'.padStart(9)}  ${'ok'.padStart(6)}  ${'failed'.padStart(6)}  ${'indet.'.padStart(6)}  ${'p50'.padStart(8)}  ${'p95'.padStart(8)}  ${'p99'.padStart(8)}`,
    ...f.phases.map(
      (p) =>
        `    ${p.phase.padEnd(width)}  ${formatSeconds(p.ms).padStart(9)}  ${String(p.ok).padStart(6)}  ${String(p.failed).padStart(6)}  ${String(p.indeterminate).padStart(6)}  ${ms(p.p50).padStart(8)}  ${ms(p.p95).padStart(8)}  ${ms(p.p99).padStart(8)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function chaosJson(report: ChaosRun): string {
  const { result, figures } = report;
  return `${JSON.stringify(
    {
      chaos: {
        seed: report.settings.seed,
        durationMs: report.settings.durationMs,
        intervalMs: report.settings.intervalMs,
        quietMs: report.settings.quietMs,
        overlap: report.settings.overlap,
        faults: report.settings.faults.map((f) => f.name),
      },
      schedule: report.schedule,
      verdict: result.verdict,
      interrupted: result.interrupted,
      wallMs: result.wallMs,
      lab: result.lab,
      checks: result.checks,
      findings: result.findings,
      figures,
      historyFile: report.historyFile,
    },
    null,
    2,
  )}\n`;
}

const LEFT = 70;
const PLOT_TOP = 40;
const PLOT_H = 260;
/** Latency axis, log scale: 1 ms to 30 s. */
const Y_MIN = 1;
const Y_MAX = 30_000;
const LINES = [
  { key: 'p50', colour: '#1e88e5', label: 'p50' },
  { key: 'p95', colour: '#fb8c00', label: 'p95' },
  { key: 'p99', colour: '#c62828', label: 'p99' },
  { key: 'max', colour: '#9e9e9e', label: 'max' },
] as const;
const FAULT_COLOURS = ['#ef9a9a', '#ce93d8', '#90caf9', '#a5d6a7', '#ffcc80', '#bcaaa4', '#80cbc4', '#f48fb1'];

/** The perf graph: fault bands, latency percentiles per bucket, unavailability, availability per window. */
export function chaosSvg(f: ChaosFigures, title: string): string {
  const span = Math.max(f.to - f.from, 1000);
  const xOf = (t: number) => LEFT + ((t - f.from) / span) * (SVG_WIDTH - LEFT - SVG_RIGHT);
  const yOf = (v: number) =>
    PLOT_TOP +
    PLOT_H -
    ((Math.log10(Math.min(Math.max(v, Y_MIN), Y_MAX)) - Math.log10(Y_MIN)) / (Math.log10(Y_MAX) - Math.log10(Y_MIN))) * PLOT_H;
  const names = [...new Set(f.faults.map((s) => s.fault))].sort();
  const colourOf = (name: string) => FAULT_COLOURS[names.indexOf(name) % FAULT_COLOURS.length]!;
  const parts: string[] = [];

  // Fault bands behind everything, one row of labels per fault kind so overlapping ones stay apart.
  for (const s of f.faults) {
    const [x0, x1] = [xOf(Math.max(s.from, f.from)), xOf(Math.min(s.to, f.to))];
    parts.push(
      `<rect x="${x0.toFixed(1)}" y="${PLOT_TOP}" width="${Math.max(x1 - x0, 1).toFixed(1)}" height="${PLOT_H}" fill="${colourOf(s.fault)}" fill-opacity="0.35"><title>${x(`${s.fault} on ${s.node}: ${formatSeconds(s.from)} to ${formatSeconds(s.to)}`)}</title></rect>`,
    );
  }
  // Axes and grid.
  for (const v of [1, 10, 100, 1000, 10_000]) {
    parts.push(
      `<line x1="${LEFT}" x2="${SVG_WIDTH - SVG_RIGHT}" y1="${yOf(v).toFixed(1)}" y2="${yOf(v).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${LEFT - 6}" y="${(yOf(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`,
    );
  }
  parts.push(
    `<text x="14" y="${PLOT_TOP + PLOT_H / 2}" transform="rotate(-90 14 ${PLOT_TOP + PLOT_H / 2})" text-anchor="middle" font-size="12">write latency (log)</text>`,
  );
  // One polyline per percentile; a bucket with no acknowledged write breaks the line.
  for (const line of LINES) {
    const segments: string[][] = [[]];
    for (const b of f.buckets) {
      const v = b[line.key];
      if (v === null) segments.push([]);
      else segments.at(-1)!.push(`${xOf(b.from + f.bucketMs / 2).toFixed(1)},${yOf(v).toFixed(1)}`);
    }
    for (const points of segments.filter((s) => s.length > 0)) {
      parts.push(
        points.length === 1
          ? `<circle cx="${points[0]!.split(',')[0]}" cy="${points[0]!.split(',')[1]}" r="1.5" fill="${line.colour}"/>`
          : `<polyline points="${points.join(' ')}" fill="none" stroke="${line.colour}" stroke-width="${line.key === 'max' ? 1 : 1.5}"/>`,
      );
    }
  }
  // Writes not acknowledged, per bucket, as ticks on the plot's floor.
  for (const b of f.buckets.filter((b) => b.failed + b.indeterminate > 0)) {
    parts.push(
      `<rect x="${xOf(b.from).toFixed(1)}" y="${PLOT_TOP + PLOT_H - 6}" width="${Math.max(xOf(b.from + f.bucketMs) - xOf(b.from) - 0.5, 1).toFixed(1)}" height="6" fill="#6a1b9a"><title>${x(`${formatSeconds(b.from)}: ${b.failed} failed, ${b.indeterminate} indeterminate`)}</title></rect>`,
    );
  }

  // Unavailability lane, then availability per window.
  const laneY = PLOT_TOP + PLOT_H + 12;
  parts.push(
    `<text x="${LEFT - 6}" y="${laneY + 11}" text-anchor="end" font-size="11">no acks</text>`,
    `<rect x="${LEFT}" y="${laneY}" width="${SVG_WIDTH - LEFT - SVG_RIGHT}" height="14" fill="#f5f5f5"/>`,
  );
  for (const u of f.unavailable) {
    const longest = u === f.longest || (f.longest && u.from === f.longest.from);
    parts.push(
      `<rect x="${xOf(u.from).toFixed(1)}" y="${laneY}" width="${Math.max(xOf(u.to) - xOf(u.from), 1).toFixed(1)}" height="14" fill="${longest ? '#b71c1c' : '#e57373'}"><title>${x(`${formatSeconds(u.ms)} without an acknowledged write from ${formatSeconds(u.from)}: ${u.cause ?? 'no fault'}`)}</title></rect>`,
    );
  }
  if (f.longest) {
    // Anchored on the side with room, so the label stays inside the picture.
    const right = xOf(f.longest.from) > SVG_WIDTH / 2;
    parts.push(
      `<text x="${(right ? xOf(f.longest.to) : xOf(f.longest.from)).toFixed(1)}" y="${laneY + 28}" font-size="11" fill="#b71c1c" text-anchor="${right ? 'end' : 'start'}">longest: ${x(formatSeconds(f.longest.ms))}, ${x(f.longest.cause ?? 'no fault')}</text>`,
    );
  }
  const availY = laneY + 38;
  parts.push(`<text x="${LEFT - 6}" y="${availY + 11}" text-anchor="end" font-size="11">available</text>`);
  for (const w of f.windows) {
    const shade = Math.round(255 * (1 - w.percent / 100));
    parts.push(
      `<rect x="${xOf(w.from).toFixed(1)}" y="${availY}" width="${Math.max(xOf(w.to) - xOf(w.from) - 0.5, 0.5).toFixed(1)}" height="14" fill="rgb(${Math.min(255, 80 + shade)},${Math.max(80, 190 - shade)},90)"><title>${x(`${formatSeconds(w.from)}..${formatSeconds(w.to)}: ${w.percent.toFixed(1)} % available`)}</title></rect>`,
    );
  }

  const bottom = availY + 18;
  parts.push(...svgTimeAxis(span, (ms) => xOf(f.from + ms), bottom));

  // Legend: the lines, then each fault kind's band colour.
  const legend: LegendEntry[] = [
    ...LINES.map((l) => ({
      colour: l.colour,
      label: `${l.label} latency per ${formatSeconds(f.bucketMs)}`,
      swatch: 'line' as const,
    })),
    { colour: '#6a1b9a', label: 'writes failed / indeterminate', swatch: 'box' },
    ...names.map((n) => ({ colour: colourOf(n), label: n, swatch: 'box' as const })),
  ];
  parts.push(...svgLegend(legend, LEFT, bottom + 40, 230));
  const height = bottom + 50 + legendRows(legend.length) * 18;
  return svgDocument({ width: SVG_WIDTH, height, title, titleAt: { x: LEFT, y: 20 } }, parts);
}

export function chaosHtml(report: ChaosRun): string {
  const { result, figures: f, settings } = report;
  const meta = result.history.meta;
  const title = `lab chaos --seed ${settings.seed} on ${meta.lab} (${meta.provider}${meta.synchronousMode ? ', synchronous' : ''}), ${meta.startedAt}`;
  const checks = result.checks
    .map(
      (c) =>
        `<tr><td style="color:${STATUS_COLOURS[c.status]};font-weight:bold">${c.status.toUpperCase()}</td><td>${x(c.name)}</td><td>${x(c.summary)}<ul>${c.evidence
          .slice(0, 40)
          .map((e) => `<li>${x(e)}</li>`)
          .join('')}</ul></td></tr>`,
    )
    .join('\n');
  const phases = f.phases
    .map(
      (p) =>
        `<tr><td>${x(p.phase)}</td><td>${formatSeconds(p.ms)}</td><td>${p.ok}</td><td>${p.failed}</td><td>${p.indeterminate}</td><td>${ms(p.p50)}</td><td>${ms(p.p95)}</td><td>${ms(p.p99)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${x(`lab chaos seed ${settings.seed}: ${result.verdict}`)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1040px}td,th{vertical-align:top;padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}ul{margin:4px 0;padding-left:1.2em;color:#444;font-size:90%}pre{font-size:85%;background:#f7f7f7;padding:8px}</style></head>
<body>
<h1>chaos, seed ${settings.seed}: <span style="color:${STATUS_COLOURS[result.verdict]}">${result.verdict.toUpperCase()}</span>${result.interrupted ? ' (interrupted)' : ''}</h1>
<p>Availability ${pct(f.availabilityPercent)} · longest unavailability ${f.longest ? `${formatSeconds(f.longest.ms)} at ${formatSeconds(f.longest.from)}, caused by <b>${x(f.longest.cause ?? 'no fault (quiet)')}</b>` : 'none'} · wall time ${formatSeconds(result.wallMs)} · lab afterwards: ${result.lab.healthy ? 'healthy' : `NOT healthy (${x(result.lab.problems.join('; '))})`}</p>
${chaosSvg(f, title)}
<h2>Write latency per phase</h2>
<table><tr><th>phase</th><th>time</th><th>ok</th><th>failed</th><th>indeterminate</th><th>p50</th><th>p95</th><th>p99</th></tr>
${phases}</table>
<h2>Checks</h2>
<table>${checks}</table>
<h2>Schedule</h2>
<pre>${x(formatSchedule(report.schedule, settings))}</pre>
<p>History (JSON lines): ${x(report.historyFile)}</p>
</body></html>
`;
}
