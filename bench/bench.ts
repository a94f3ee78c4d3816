/** `npm run bench`: the lab's own timings against their targets, then each shipped scenario's figures. */
import { cpus } from 'node:os';
import { formatSeconds } from '../lab/clock.js';
import { benchScenarios, formatScenarioBench, SCENARIO_BENCH_LAB, SYNC_BENCH_SCENARIOS, SYNC_SCENARIO_BENCH_LAB } from './scenarios.js';
import { benchStartup } from './startup.js';
import { benchUpDown } from './updown.js';
import { benchWorkshop } from './workshop.js';

interface Figure {
  name: string;
  seconds: number;
  targetS?: number;
}

function formatFigures(figures: Figure[]): string {
  const width = Math.max(...figures.map((f) => f.name.length));
  return figures
    .map((f) => {
      const target = f.targetS === undefined ? '' : `  (target <= ${f.targetS} s: ${f.seconds <= f.targetS ? 'met' : 'MISSED'})`;
      return `${f.name.padEnd(width)}  ${formatSeconds(f.seconds * 1000).padStart(9)}${target}\n`;
    })
    .join('');
}

const out = process.stdout;
out.write(`pgha-lab bench on ${cpus().length} cores (Docker provider, Debian packages)\n\n`);
const startupS = await benchStartup();
const updown = await benchUpDown();
// Printed before the scenarios run, so a scenario failure cannot lose them.
out.write(
  formatFigures([
    { name: 'cold up (no cached image) to healthy', seconds: updown.coldUpS, targetS: 240 },
    { name: 'warm up (image cached) to healthy', seconds: updown.warmUpS, targetS: 30 },
    { name: 'down', seconds: updown.downS },
    { name: 'CLI start-up (lab --version, median of 5)', seconds: startupS },
  ]) + '\n',
);
const workshop = await benchWorkshop();
out.write(
  formatFigures([
    { name: 'lab workshop up, 4 seats (stage full) on two engines', seconds: workshop.upS },
    { name: 'lab workshop reset of one seat (stage full) to healthy', seconds: workshop.resetS },
  ]) +
    `memory of one running seat (3 nodes, docker stats): ${workshop.seatMiB} MiB; a ${workshop.machineMiB} MiB machine (BENCH_MACHINE_MIB) holds ${workshop.seatsPerMachine} seats, 1 GiB left to the host\n\n`,
);
const log = (line: string) => out.write(`${line}\n`);
out.write(`scenarios, asynchronous replication (${SCENARIO_BENCH_LAB}):\n`);
out.write(formatScenarioBench(await benchScenarios({ log })));
out.write(`\nscenarios, synchronous_mode on (${SYNC_SCENARIO_BENCH_LAB}):\n`);
out.write(formatScenarioBench(await benchScenarios({ file: SYNC_SCENARIO_BENCH_LAB, scenarios: SYNC_BENCH_SCENARIOS, log })));
