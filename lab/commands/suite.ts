/**
 * Several scenarios in a row on one lab, for the integration tests and the bench: the lab is brought
 * up if needed, and made again from scratch whenever a scenario leaves it unhealthy, so each
 * scenario starts from a healthy lab and one failure cannot spoil the rest. The lab is taken down
 * at the end, whatever happened, unless the caller keeps it.
 */
import type { LabLocation } from '../labdir/context.js';
import type { RunOptions, RunResult } from '../scenarios/engine.js';
import { downLab, runNamedScenario, upAndOpen, type OpenLab } from './session.js';

export interface SuiteRun {
  name: string;
  result: RunResult;
  /** The lab was left unhealthy and has been re-created. */
  recreated: boolean;
}

export interface SuiteOptions {
  log?: (line: string) => void;
  /** Runs on the same lab after the last scenario (a chaos run), before the lab is taken down. */
  afterAll?: (lab: OpenLab) => Promise<void>;
  /** A `--workload` command for a scenario of the suite, by its name. */
  workloads?: Readonly<Record<string, NonNullable<RunOptions['command']>>>;
  /** The caller takes the lab down itself (it brought the lab up, and checks its own down). */
  keepLab?: boolean;
}

export async function* runSuite(
  location: LabLocation,
  names: readonly string[],
  { log = () => undefined, afterAll, workloads = {}, keepLab = false }: SuiteOptions = {},
): AsyncGenerator<SuiteRun> {
  let lab = await upAndOpen(location);
  try {
    for (const name of names) {
      log(`scenario ${name} ...`);
      const command = workloads[name];
      const result = await runNamedScenario(lab, name, command ? { command } : {});
      let recreated = false;
      if (!result.lab.healthy) {
        log(`lab left unhealthy by ${name} (${result.lab.problems.join('; ')}): re-creating it`);
        await downLab(lab.ctx);
        lab = await upAndOpen(location);
        recreated = true;
      }
      yield { name, result, recreated };
    }
    await afterAll?.(lab);
  } finally {
    // Unless kept, nothing is left running (another suite may want the subnet).
    if (keepLab) await lab.provider.close?.();
    else await downLab(lab.ctx);
  }
}
