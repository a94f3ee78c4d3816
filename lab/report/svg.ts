/**
 * What the two pictures share (a run's timeline, picture.ts; a chaos run's perf graph, chaos.ts):
 * the frame, the legend, the time axis's spacing and the colours a verdict is shown in.
 */
import { escapeXml as x } from './xml.js';

/** A verdict or check status, as its colour (the heading, each check's row, both pictures' pages). */
export const STATUS_COLOURS = { pass: '#2e7d32', fail: '#c62828', unknown: '#f9a825' } as const;

/** Both pictures are this wide, with this margin on the right of the plot; each keeps its own left margin for its lane names. */
export const SVG_WIDTH = 1000;
export const SVG_RIGHT = 20;

/** Tick spacing in seconds giving at most ~12 ticks. Pure. */
export function tickStep(totalSeconds: number): number {
  return [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800].find((s) => totalSeconds / s <= 12) ?? 3600;
}

/**
 * The time axis below a plot: a tick and its label every tickStep seconds of spanMs, placed by
 * xAt (milliseconds from the plot's start), in minutes once the ticks are a minute apart or more.
 */
export function svgTimeAxis(spanMs: number, xAt: (ms: number) => number, y: number): string[] {
  const step = tickStep(spanMs / 1000);
  const parts: string[] = [];
  for (let s = 0; s * 1000 <= spanMs; s += step) {
    const tx = xAt(s * 1000).toFixed(1);
    parts.push(
      `<line x1="${tx}" y1="${y}" x2="${tx}" y2="${y + 5}" stroke="#555"/>`,
      `<text x="${tx}" y="${y + 18}" text-anchor="middle" font-size="11">${s >= 60 && step >= 60 ? `${s / 60}m` : `${s}s`}</text>`,
    );
  }
  return parts;
}

export interface LegendEntry {
  colour: string;
  label: string;
  /** A filled box (an area's colour); else a short line (a line's colour). */
  swatch: 'box' | 'line';
}

/** The legend in rows of four from (left, top), each entry a swatch and its label. */
export function svgLegend(entries: readonly LegendEntry[], left: number, top: number, columnWidth: number): string[] {
  return entries.map(({ colour, label, swatch }, k) => {
    const lx = left + (k % 4) * columnWidth;
    const ly = top + Math.floor(k / 4) * 18;
    const mark =
      swatch === 'box'
        ? `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour}"/>`
        : `<line x1="${lx}" x2="${lx + 12}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`;
    return `${mark}<text x="${lx + 18}" y="${ly}" font-size="12">${x(label)}</text>`;
  });
}

/** Rows the legend takes below its top. */
export const legendRows = (entries: number): number => Math.ceil(entries / 4);

export interface SvgFrame {
  width: number;
  height: number;
  title: string;
  /** Where the bold title stands. */
  titleAt: { x: number; y: number };
  /** Sharp edges for pictures of many abutting rectangles (the timeline's samples). */
  crisp?: boolean;
}

/** A standalone SVG document: white ground, bold title, then the parts in order. */
export function svgDocument(frame: SvgFrame, parts: readonly string[]): string {
  const { width, height } = frame;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13"${frame.crisp ? ' shape-rendering="crispEdges"' : ''}>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${frame.titleAt.x}" y="${frame.titleAt.y}" font-weight="bold">${x(frame.title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
