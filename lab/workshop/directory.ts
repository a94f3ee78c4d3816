/**
 * Where a workshop lives: workshops/<name>/ (or --dir), holding workshop.json, the resolved spec as
 * last brought up, and one lab directory per seat. `status`, `reset`, `down` and `handout` read
 * workshop.json, not workshop.yaml, so a changed workshop.yaml cannot orphan seats.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import { loadWorkshop, type WorkshopSpec } from '../spec/workshop.js';
import { planSeats, type SeatPlan } from './plan.js';

const WORKSHOP_FILE = 'workshop.json';

export interface Workshop {
  spec: WorkshopSpec;
  dir: string;
  plan: SeatPlan[];
  /** Where relative engine paths (TLS directories) are read from. */
  baseDir: string;
}

export const defaultWorkshopDir = (name: string): string => path.resolve('workshops', name);

/** From workshop.yaml: for `up` (and `handout` before any `up`). */
export async function workshopFromFile(file: string, dir?: string): Promise<{ workshop: Workshop; warnings: string[] }> {
  const { spec, warnings } = await loadWorkshop(file);
  return {
    workshop: {
      spec,
      dir: dir ? path.resolve(dir) : defaultWorkshopDir(spec.name),
      plan: planSeats(spec),
      baseDir: path.dirname(path.resolve(file)),
    },
    warnings,
  };
}

/** From the workshop directory's own workshop.json. */
export async function workshopFromDir(file: string, dir?: string): Promise<Workshop> {
  const where = await workshopDir(file, dir);
  const saved = await savedWorkshop(where);
  if (!saved) throw new LabError(`no workshop in ${where}`, ExitCode.badInput, 'run `lab workshop up` first, or pass --dir');
  return saved;
}

/**
 * The directory's workshop, or else workshop.yaml's plan. For `down`: seats are found by label, so a
 * down must also reach those of an `up` whose directory is gone or was never written (killed early,
 * or a deleted checkout). For `handout`: a trainer prints the pages before the class is up.
 */
export async function workshopSavedOrPlanned(file: string, dir?: string): Promise<Workshop> {
  return (await savedWorkshop(await workshopDir(file, dir))) ?? (await workshopFromFile(file, dir)).workshop;
}

/** Written by `up` before any object exists: `down` after a crash or Ctrl-C finds every seat from it. */
export async function saveWorkshop(ws: Workshop): Promise<void> {
  await mkdir(ws.dir, { recursive: true });
  await writeFile(path.join(ws.dir, WORKSHOP_FILE), JSON.stringify({ spec: ws.spec, baseDir: ws.baseDir }, null, 2) + '\n');
}

/** The workshop directory: --dir, else workshops/<name from workshop.yaml>. */
async function workshopDir(file: string, dir?: string): Promise<string> {
  return dir ? path.resolve(dir) : defaultWorkshopDir((await loadWorkshop(file)).spec.name);
}

async function savedWorkshop(where: string): Promise<Workshop | undefined> {
  let saved: { spec: WorkshopSpec; baseDir: string };
  try {
    saved = JSON.parse(await readFile(path.join(where, WORKSHOP_FILE), 'utf8')) as typeof saved;
  } catch {
    return undefined;
  }
  return { spec: saved.spec, dir: where, plan: planSeats(saved.spec), baseDir: saved.baseDir };
}
