/**
 * What every command needs to find its lab: the spec (from lab.yaml) and the lab directory
 * where generated files and provider state live.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError, ExitCode } from '../errors.js';
import { loadSpec } from '../spec/load.js';
import type { LabSpec } from '../spec/schema.js';

/** Where a lab is described and kept: the CLI's global options, and what tests and the bench pass. */
export interface LabLocation {
  file: string;
  dir?: string;
  provider?: LabSpec['provider'];
}

export interface LabContext {
  spec: LabSpec;
  dir: string;
  warnings: string[];
}

/** The resolved spec as last generated; lets `down`/`status` work even if lab.yaml changed since. */
export const GENERATED_SPEC_FILE = 'lab.json';

export function defaultLabDir(spec: LabSpec): string {
  return path.resolve('labs', spec.name);
}

/** Loads lab.yaml, applying a --provider override, and picks the lab directory. */
export async function specContext(args: LabLocation): Promise<LabContext> {
  const { spec, warnings } = await loadSpec(args.file);
  if (args.provider) spec.provider = args.provider;
  return { spec, warnings, dir: args.dir ? path.resolve(args.dir) : defaultLabDir(spec) };
}

/**
 * For commands that act on a generated lab (status, down, exec, scenario): the lab directory's own
 * lab.json is the truth, so a crash or an edited lab.yaml cannot orphan what was created.
 */
export async function generatedContext(args: LabLocation): Promise<LabContext> {
  let dir = args.dir ? path.resolve(args.dir) : undefined;
  if (!dir) dir = defaultLabDir((await loadSpec(args.file)).spec);
  let text: string;
  try {
    text = await readFile(path.join(dir, GENERATED_SPEC_FILE), 'utf8');
  } catch {
    throw new LabError(`no generated lab in ${dir}`, ExitCode.badInput, 'run `lab generate` (or `lab up`) first, or pass --dir');
  }
  const spec = JSON.parse(text) as LabSpec;
  if (args.provider && args.provider !== spec.provider) {
    throw new LabError(
      `the lab in ${dir} was generated for ${spec.provider}, not ${args.provider}`,
      ExitCode.badInput,
      `run \`lab generate --provider ${args.provider}\` first`,
    );
  }
  return { spec, dir, warnings: [] };
}
