/**
 * `<lab dir>/state.json`: written before the first Docker object is created, so `lab down` after a
 * crash or Ctrl-C knows the lab id even if the lab was renamed or lab.yaml is gone.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../../errors.js';
import { labIdFor } from './naming.js';

export const STATE_FILE = 'state.json';

export interface DockerLabState {
  provider: 'docker';
  labId: string;
  /** Fingerprint of the lab directory the nodes were last fully provisioned from; null until then. */
  provisioned: string | null;
}

export async function readState(dir: string): Promise<DockerLabState | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, STATE_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text) as DockerLabState;
  } catch {
    throw new LabError(
      `${path.join(dir, STATE_FILE)} is not valid JSON`,
      undefined,
      "remove the lab's containers by label: docker ps -a --filter label=pgha-lab.lab",
    );
  }
}

export async function writeState(dir: string, state: DockerLabState): Promise<void> {
  const file = path.join(dir, STATE_FILE);
  // Write then rename: a crash mid-write must not lose the lab id.
  await writeFile(`${file}.tmp`, JSON.stringify(state, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
}

/** The lab's state, created (and persisted) on first use. */
export async function ensureState(dir: string, name: string): Promise<DockerLabState> {
  const existing = await readState(dir);
  if (existing) return existing;
  const state: DockerLabState = { provider: 'docker', labId: labIdFor(name, dir), provisioned: null };
  await writeState(dir, state);
  return state;
}
