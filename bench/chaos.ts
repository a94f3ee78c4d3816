/**
 * The chaos part of `npm run bench`: a 10-minute seeded chaos run on the synchronous tuned lab, its
 * figures, and what the tool itself costs while it runs: resident memory, CPU and the History file's
 * size, sampled every minute (a soak must stay bounded: the History streams to disk).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatSeconds } from '../lab/clock.js';
import { chaosOn, defaultChaosHistory, downLab, upAndOpen } from '../lab/commands/session.js';
import { formatChaosFigures } from '../lab/report/chaos.js';
import { packageRoot } from '../lab/render/package-files.js';
import type { ChaosRun } from '../lab/scenarios/chaos/run.js';
import { parseChaosFlags } from '../lab/scenarios/chaos/settings.js';

export const CHAOS_BENCH_LAB = 'test/fixtures/scenario-lab-sync.yaml';
const MINUTE_MS = 60_000;

export interface ResourceSample {
  minute: number;
  rssMib: number;
  heapMib: number;
  /** Share of one core used over the last minute, %. */
  cpuPercent: number;
  historyMib: number;
}

export interface ChaosBench {
  run: ChaosRun;
  resources: ResourceSample[];
}

const mib = (bytes: number) => bytes / 1024 / 1024;

export async function benchChaos(
  options: { file?: string; seed?: number; duration?: string; log?: (line: string) => void } = {},
): Promise<ChaosBench> {
  const file = path.resolve(packageRoot(), options.file ?? CHAOS_BENCH_LAB);
  const lab = await upAndOpen({ file });
  try {
    const settings = parseChaosFlags({
      seed: options.seed ?? 1,
      duration: options.duration ?? '10m',
      interval: '20s..60s',
      quiet: '30s',
      overlap: false,
    });
    const historyFile = defaultChaosHistory(lab, settings.seed);
    const resources: ResourceSample[] = [];
    let cpu = process.cpuUsage();
    let at = performance.now();
    const measure = async () => {
      const [now, used] = [performance.now(), process.cpuUsage(cpu)];
      const size = await stat(historyFile).then(
        (s) => s.size,
        () => 0,
      );
      const sample = {
        minute: resources.length + 1,
        rssMib: mib(process.memoryUsage().rss),
        heapMib: mib(process.memoryUsage().heapUsed),
        cpuPercent: ((used.user + used.system) / 1000 / (now - at)) * 100,
        historyMib: mib(size),
      };
      resources.push(sample);
      options.log?.(
        `  minute ${sample.minute}: rss ${sample.rssMib.toFixed(0)} MiB, cpu ${sample.cpuPercent.toFixed(1)} %, History ${sample.historyMib.toFixed(2)} MiB`,
      );
      [cpu, at] = [process.cpuUsage(), now];
    };
    const timer = setInterval(() => void measure(), MINUTE_MS);
    try {
      return { run: await chaosOn(lab, settings, { historyFile }), resources };
    } finally {
      clearInterval(timer);
    }
  } finally {
    await downLab(lab.ctx);
  }
}

export function formatChaosBench({ run, resources }: ChaosBench): string {
  const r = run.result;
  const lines = [
    `seed ${run.settings.seed}, ${run.schedule.length} faults in ${formatSeconds(run.settings.durationMs)}: ${r.verdict}, wall ${formatSeconds(r.wallMs)}, lab afterwards ${r.lab.healthy ? 'healthy' : 'NOT healthy'}`,
    ...r.checks.map((c) => `  ${c.status.padEnd(7)} ${c.name}: ${c.summary}`),
    formatChaosFigures(run.figures).trimEnd(),
    '  the tool while it ran (per minute):',
    `    ${'minute'.padEnd(6)}  ${'rss'.padStart(8)}  ${'heap'.padStart(8)}  ${'cpu'.padStart(6)}  ${'History'.padStart(10)}`,
    ...resources.map(
      (s) =>
        `    ${String(s.minute).padEnd(6)}  ${`${s.rssMib.toFixed(0)} MiB`.padStart(8)}  ${`${s.heapMib.toFixed(0)} MiB`.padStart(8)}  ${`${s.cpuPercent.toFixed(1)} %`.padStart(6)}  ${`${s.historyMib.toFixed(2)} MiB`.padStart(10)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
