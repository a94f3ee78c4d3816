/**
 * `npm run bench`: the lab's own timings against their targets, then each shipped scenario's figures,
 * what the entry paths add to a promotion over repeated runs, then a 10-minute chaos run's figures
 * and the tool's memory and CPU while it runs; the anomaly checker on 100,000 generated transactions; CI's wall
 * time cold beside warm. `npm run bench -- PART...` runs only those parts.
 */
import { cpus } from 'node:os';
import { formatSeconds } from '../lab/clock.js';
import {
  benchScenarios,
  formatPathLag,
  formatScenarioBench,
  PATH_LAG_REPEATS,
  PATH_LAG_SCENARIOS,
  SCENARIO_BENCH_LAB,
  SYNC_BENCH_SCENARIOS,
  SYNC_SCENARIO_BENCH_LAB,
} from './scenarios.js';
import { benchStartup, STARTUP_TARGET_S } from './startup.js';
import { benchAnomalies } from './anomalies.js';
import { benchChaos, CHAOS_BENCH_LAB, formatChaosBench } from './chaos.js';
import { benchCi, formatCiBench } from './ci.js';
import { benchUpDown } from './updown.js';
import { benchVagrantUp } from './vagrant.js';
import { benchWorkshop } from './workshop.js';

interface Figure {
  name: string;
  seconds: number;
  targetS?: number;
  /** Shown with this many decimals (default 1): start-up figures are milliseconds, near a target of 0.15 s. */
  decimals?: number;
}

function formatFigures(figures: Figure[]): string {
  const width = Math.max(...figures.map((f) => f.name.length));
  return figures
    .map((f) => {
      const target = f.targetS === undefined ? '' : `  (target <= ${f.targetS} s: ${f.seconds <= f.targetS ? 'met' : 'MISSED'})`;
      return `${f.name.padEnd(width)}  ${formatSeconds(f.seconds * 1000, f.decimals).padStart(9)}${target}\n`;
    })
    .join('');
}

/** The bench's parts, in the order they run; naming some on the command line runs only those. */
const PARTS = ['startup', 'anomalies', 'updown', 'workshop', 'scenarios', 'sync', 'paths', 'chaos', 'ci'] as const;
const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(PARTS as readonly string[]).includes(a));
if (unknown.length > 0) {
  process.stderr.write(`bench: no part ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}\n`);
  process.exit(3);
}
const wants = (part: (typeof PARTS)[number]): boolean => asked.length === 0 || asked.includes(part);

const out = process.stdout;
out.write(`pgha-lab bench on ${cpus().length} cores (Docker provider and Vagrant's docker provider, Debian packages)\n\n`);
if (wants('startup')) {
  const startup = await benchStartup();
  out.write(
    formatFigures([
      {
        name: 'CLI start-up: lab status on a missing lab, median of 5',
        seconds: startup.statusS,
        targetS: STARTUP_TARGET_S,
        decimals: 3,
      },
      {
        name: 'CLI start-up: lab generate on a missing lab.yaml, median of 5',
        seconds: startup.generateS,
        targetS: STARTUP_TARGET_S,
        decimals: 3,
      },
      { name: 'CLI start-up: lab --version, median of 5', seconds: startup.versionS, targetS: STARTUP_TARGET_S, decimals: 3 },
      {
        name: 'lab status beside a lab.yaml, no lab generated (parses it), median of 5',
        seconds: startup.statusWithSpecS,
        decimals: 3,
      },
      { name: 'Node alone (node -e ""), median of 5, for scale', seconds: startup.nodeS, decimals: 3 },
    ]) + '\n',
  );
}
if (wants('anomalies')) {
  const a = benchAnomalies();
  out.write(
    formatFigures([
      {
        name: `anomalies check: ${a.transactions} list-append transactions, strict-serializable`,
        seconds: a.seconds,
        targetS: 10,
      },
    ]) +
      `heap: the History ${a.historyHeapMib.toFixed(0)} MiB, the check ${a.checkHeapMib.toFixed(0)} MiB more (${a.status}: ${a.summary})\n\n`,
  );
}
if (wants('updown')) {
  const updown = await benchUpDown();
  const vagrantUp = await benchVagrantUp();
  // Printed before the scenarios run, so a scenario failure cannot lose them.
  out.write(
    formatFigures([
      { name: 'lab up, Docker provider, cold (no cached image) to healthy', seconds: updown.coldUpS, targetS: 240 },
      { name: 'lab up, Docker provider, warm (image cached) to healthy', seconds: updown.warmUpS, targetS: 30 },
      { name: 'lab down, Docker provider', seconds: updown.downS },
      { name: 'lab up with entry points, entry image built (node image cached)', seconds: updown.entryBuiltUpS },
      { name: 'lab up with entry points, entry image cached', seconds: updown.entryCachedUpS },
      { name: "vagrant up --no-parallel (Vagrant's docker provider) to healthy", seconds: vagrantUp.sequentialS },
      { name: "vagrant up, parallel (Vagrant's docker provider) to healthy", seconds: vagrantUp.parallelS },
    ]) + '\n',
  );
}
if (wants('workshop')) {
  const workshop = await benchWorkshop();
  out.write(
    formatFigures([
      { name: 'lab workshop up, 4 seats (stage full) on two engines', seconds: workshop.upS },
      { name: 'lab workshop reset of one seat (stage full) to healthy', seconds: workshop.resetS },
    ]) +
      `memory of one running seat (3 nodes, docker stats): ${workshop.seatMiB} MiB; a ${workshop.machineMiB} MiB machine (BENCH_MACHINE_MIB) holds ${workshop.seatsPerMachine} seats, 1 GiB left to the host\n\n`,
  );
}
const log = (line: string) => out.write(`${line}\n`);
if (wants('scenarios')) {
  out.write(`scenarios, asynchronous replication (${SCENARIO_BENCH_LAB}):\n`);
  out.write(formatScenarioBench(await benchScenarios({ log })));
}
if (wants('sync')) {
  out.write(`\nscenarios, synchronous_mode on (${SYNC_SCENARIO_BENCH_LAB}):\n`);
  out.write(formatScenarioBench(await benchScenarios({ file: SYNC_SCENARIO_BENCH_LAB, scenarios: SYNC_BENCH_SCENARIOS, log })));
}
if (wants('paths')) {
  const runs = Array.from({ length: PATH_LAG_REPEATS }, () => PATH_LAG_SCENARIOS).flat();
  out.write(
    `\nentry paths: downtime minus promotion, ${PATH_LAG_SCENARIOS.join(' and ')} x ${PATH_LAG_REPEATS} (${SCENARIO_BENCH_LAB}):\n`,
  );
  out.write(formatPathLag(await benchScenarios({ scenarios: runs, log })));
}
if (wants('chaos')) {
  out.write(`\nchaos, 10 minutes, seed 1 (${CHAOS_BENCH_LAB}):\n`);
  out.write(formatChaosBench(await benchChaos({ log })));
}
// Last: it removes every image of the project's (a new machine's start) and takes some 25 minutes.
if (wants('ci')) {
  out.write('\nCI wall time, a fresh clone of HEAD on this machine:\n');
  out.write(formatCiBench(await benchCi({ log })));
}
