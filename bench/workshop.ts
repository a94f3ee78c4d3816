/**
 * Workshop figures: 4 seats (stage full) brought up on two engines of this machine (the second from
 * scripts/engine2.sh, stopped by its pid afterwards), one seat's reset, the memory a running seat
 * uses (docker stats of its nodes), and the seats that implies for a machine of BENCH_MACHINE_MIB
 * (default 16384) MiB, less 1 GiB for the host.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type Docker from 'dockerode';
import { labFilter } from '../lab/providers/docker/naming.js';
import { packageRoot } from '../lab/render/package-files.js';
import { connectEngines } from '../lab/workshop/engines.js';
import { workshopFromFile } from '../lab/workshop/directory.js';
import { downWorkshop } from '../lab/workshop/down.js';
import { resetWorkshopSeat } from '../lab/workshop/reset.js';
import { upWorkshop } from '../lab/workshop/up.js';

export interface WorkshopFigures {
  upS: number;
  resetS: number;
  seatMiB: number;
  machineMiB: number;
  seatsPerMachine: number;
}

const HOST_RESERVE_MIB = 1024;

/** Memory in use by a container (usage less page cache, as `docker stats` shows it), in MiB. */
async function containerMiB(docker: Docker, id: string): Promise<number> {
  const stats = (await docker.getContainer(id).stats({ stream: false })) as {
    memory_stats: { usage?: number; stats?: { cache?: number; total_inactive_file?: number } };
  };
  const m = stats.memory_stats;
  return ((m.usage ?? 0) - (m.stats?.total_inactive_file ?? m.stats?.cache ?? 0)) / 2 ** 20;
}

export async function benchWorkshop(): Promise<WorkshopFigures> {
  const engine2Script = path.join(packageRoot(), 'scripts/engine2.sh');
  const engine2 = (await execa('bash', [engine2Script, 'start'], { timeout: 60_000 })).stdout.trim();
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-bench-ws-'));
  const file = path.join(work, 'workshop.yaml');
  await writeFile(
    file,
    JSON.stringify({
      name: 'benchws',
      lab: {
        docker: { baseImage: 'pgha-lab/base:trixie' },
        postgres: { version: 17, packageSource: 'distro' },
        patroni: { ttl: 20, loopWait: 2, retryTimeout: 5 },
        watchdog: { mode: 'required' },
      },
      seats: 4,
      stage: 'full',
      pool: '10.100.0.0/16',
      sshPortBase: 2260,
      engines: [
        { name: 'one', memoryMiB: 1000, concurrency: 2 },
        { name: 'two', host: engine2, memoryMiB: 1000, concurrency: 2 },
      ],
    }),
  );
  const { workshop } = await workshopFromFile(file, path.join(work, 'ws'));
  try {
    let started = performance.now();
    const outcomes = await upWorkshop(workshop, { out: process.stderr });
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length > 0)
      throw new Error(`workshop bench: seats failed: ${failed.map((f) => `${f.seat}: ${f.detail}`).join('; ')}`);
    const upS = (performance.now() - started) / 1000;
    const engines = await connectEngines(workshop.spec.engines, work);
    const perSeat: number[] = [];
    for (const engine of engines) {
      const ids = new Set(
        (await engine.docker.listContainers({ filters: { label: ['pgha-lab.lab'] } }))
          .map((c) => c.Labels['pgha-lab.lab']!)
          .filter((id) => id.startsWith('benchws-s')),
      );
      for (const id of ids) {
        const nodes = await engine.docker.listContainers({ filters: labFilter(id, 'node') });
        perSeat.push((await Promise.all(nodes.map((n) => containerMiB(engine.docker, n.Id)))).reduce((a, b) => a + b, 0));
      }
    }
    started = performance.now();
    await resetWorkshopSeat(workshop, 's02');
    const resetS = (performance.now() - started) / 1000;
    const seatMiB = Math.round(Math.max(...perSeat));
    const machineMiB = Number(process.env.BENCH_MACHINE_MIB ?? 16384);
    return { upS, resetS, seatMiB, machineMiB, seatsPerMachine: Math.floor((machineMiB - HOST_RESERVE_MIB) / seatMiB) };
  } finally {
    await downWorkshop(workshop).catch(() => undefined);
    await execa('bash', [engine2Script, 'stop'], { timeout: 60_000, reject: false });
    await rm(work, { recursive: true, force: true });
  }
}
