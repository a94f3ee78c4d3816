/**
 * Reads lab.yaml. The parser (parse.ts, with the yaml library and TypeBox: a few hundred KB to load)
 * is loaded once there is a file to parse, so a command on a missing lab.yaml answers without it.
 */
import { readFile } from 'node:fs/promises';
import { ExitCode, LabError } from '../errors.js';
import type { LoadedSpec } from './parse.js';

export async function loadSpec(file: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LabError(`${file} not found`, ExitCode.badInput, 'create one with `lab init`, or name another with -f FILE');
    }
    throw new LabError(`cannot read ${file}: ${(e as Error).message}`, ExitCode.badInput);
  }
  const { parseSpec } = await import('./parse.js');
  return parseSpec(text, file);
}
