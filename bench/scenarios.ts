/**
 * The scenario part of `npm run bench`: runs each shipped scenario on the tuned lab
 * (test/fixtures/scenario-lab.yaml, brought up if needed), and the lossy ones on its synchronous
 * twin, and returns each one's wall time and measured figures. The bench main prints them with
 * formatScenarioBench.
 */
import path from 'node:path';
import { formatSeconds } from '../lab/clock.js';
import { packageRoot } from '../lab/render/package-files.js';
import { shippedScenarios } from '../lab/scenarios/load.js';
import { PATH_MODES, type EntryPathName } from '../lab/cluster/entry-paths.js';
import { runSuite } from '../lab/commands/suite.js';
import type { CheckStatus } from '../lab/scenarios/checks/index.js';

export const SCENARIO_BENCH_LAB = 'test/fixtures/scenario-lab.yaml';
/** The same lab with synchronous_mode on, for the scenarios that lose writes without it. */
export const SYNC_SCENARIO_BENCH_LAB = 'test/fixtures/scenario-lab-sync.yaml';
export const SYNC_BENCH_SCENARIOS = ['failover', 'partition'];
/** What the entry paths add to a promotion, measured over repeats: the figure HAProxy's check timings are tuned for. */
export const PATH_LAG_SCENARIOS = ['failover', 'switchover'];
export const PATH_LAG_REPEATS = 3;

export interface ScenarioBenchRow {
  scenario: string;
  verdict: CheckStatus;
  wallMs: number;
  detectionMs: number | null;
  promotionMs: number | null;
  downtimeMs: number | null;
  writesOk: number;
  lostWrites: number | null;
  /**
   * Per entry path (a lab with an entry: section): its downtime, the fault it is laid to, and p99
   * latency around it, beside the direct writer's. Downtime minus promotion is what the path adds to
   * the cluster's own failover (HAProxy's checks, the pool reconnecting).
   */
  paths: {
    path: string;
    downtimeMs: number | null;
    cause: string | null;
    p99DuringMs: number | null;
    p99AfterMs: number | null;
  }[];
}

export async function benchScenarios(
  options: { file?: string; scenarios?: string[]; log?: (line: string) => void } = {},
): Promise<ScenarioBenchRow[]> {
  const rows: ScenarioBenchRow[] = [];
  const file = path.resolve(packageRoot(), options.file ?? SCENARIO_BENCH_LAB);
  for await (const { name, result: r } of runSuite({ file }, options.scenarios ?? (await shippedScenarios()), {
    ...(options.log ? { log: options.log } : {}),
  })) {
    const lost = r.checks.find((c) => c.name === 'no-lost-writes')?.figures.lost;
    rows.push({
      scenario: name,
      verdict: r.verdict,
      wallMs: r.wallMs,
      detectionMs: r.figures.detectionMs,
      promotionMs: r.figures.promotionMs,
      downtimeMs: r.figures.downtimeMs,
      writesOk: r.figures.writesOk,
      lostWrites: lost ?? null,
      paths: (r.figures.paths ?? []).map((p) => ({
        path: p.path,
        downtimeMs: p.downtimeMs,
        cause: p.downtimeCause,
        p99DuringMs: p.latency.during?.p99 ?? null,
        p99AfterMs: p.latency.after?.p99 ?? null,
      })),
    });
  }
  return rows;
}

/** Columns padded to their widest cell. */
function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return (
    [header, ...body]
      .map((cells) =>
        cells
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function formatScenarioBench(rows: readonly ScenarioBenchRow[]): string {
  const header = ['scenario', 'verdict', 'wall', 'detection', 'promotion', 'downtime', 'writes ok', 'lost'];
  const body = rows.map((r) => [
    r.scenario,
    r.verdict,
    formatSeconds(r.wallMs),
    formatSeconds(r.detectionMs),
    formatSeconds(r.promotionMs),
    formatSeconds(r.downtimeMs),
    String(r.writesOk),
    String(r.lostWrites ?? 'n/a'),
  ]);
  const ms = (v: number | null): string => (v === null ? '-' : `${v} ms`);
  const minus = (a: number | null, b: number | null): string => (a === null || b === null ? '-' : formatSeconds(a - b));
  const paths = rows.flatMap((r) =>
    r.paths.map((p) => [
      r.scenario,
      p.path,
      formatSeconds(p.downtimeMs),
      minus(p.downtimeMs, r.promotionMs),
      p.cause ?? '-',
      ms(p.p99DuringMs),
      ms(p.p99AfterMs),
    ]),
  );
  // The entry paths (a lab with an entry: section), beside the direct writer's downtime above.
  return (
    table(header, body) +
    (paths.length > 0
      ? `\nper entry path:\n${table(['scenario', 'path', 'downtime', 'minus promotion', 'laid to', 'p99 during', 'p99 after'], paths)}`
      : '')
  );
}

/** The middle value (the lower of the two middles for an even count); null for none. Pure. */
function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Per scenario and read-write entry path, the path's downtime minus the promotion over repeated runs:
 * min, median and max, and how many runs had both figures. A read-only path waits for no promotion,
 * so it has no row. Pure.
 */
export function formatPathLag(rows: readonly ScenarioBenchRow[]): string {
  const lags = new Map<string, number[]>();
  for (const r of rows) {
    for (const p of r.paths.filter((p) => PATH_MODES[p.path as EntryPathName] === 'read-write')) {
      const key = `${r.scenario}\t${p.path}`;
      const list = lags.get(key) ?? [];
      if (p.downtimeMs !== null && r.promotionMs !== null) list.push(p.downtimeMs - r.promotionMs);
      lags.set(key, list);
    }
  }
  const body = [...lags].map(([key, list]) => {
    const [scenario, path] = key.split('\t') as [string, string];
    const m = median(list);
    return [
      scenario,
      path,
      String(list.length),
      formatSeconds(list.length ? Math.min(...list) : null),
      formatSeconds(m),
      formatSeconds(list.length ? Math.max(...list) : null),
    ];
  });
  return table(['scenario', 'path', 'runs', 'min', 'median', 'max'], body);
}
