/**
 * `lab doctor`: what each provider needs on this host (their own doctor()) and what the lab asks of
 * the host (preflight), each problem with the exact fix. The lab's provider's problems are PROBLEMs,
 * the other provider's are notes.
 */
import { access } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { ExitCode } from '../errors.js';
import { concerns, runPreflight } from '../preflight/index.js';
import { createProvider, PROVIDER_KINDS } from '../providers/index.js';
import type { DoctorCheck } from '../providers/provider.js';
import { validateSpec } from '../spec/load.js';
import type { LabSpec } from '../spec/schema.js';
import { specContext, defaultLabDir, type LabContext } from '../labdir/context.js';
import type { GlobalArgs } from './options.js';

/** lab.yaml when there is one; the document's defaults otherwise, so doctor runs before `lab init`. */
async function contextOrDefaults(args: GlobalArgs): Promise<LabContext> {
  if (await access(args.file).then(() => true, () => false)) return specContext(args);
  const spec = validateSpec(args.provider ? { provider: args.provider } : {}).spec!;
  return { spec, dir: args.dir ?? defaultLabDir(spec), warnings: [`${args.file} not found: checking the defaults`] };
}

export function formatChecks(checks: DoctorCheck[], provider: LabSpec['provider']): string {
  return checks
    .map((c) => {
      const verdict = c.ok ? 'ok' : concerns(c, provider) ? 'PROBLEM' : 'note';
      return `${c.area.padEnd(8)} ${verdict.padEnd(8)} ${c.what}${c.fix ? `\n${' '.repeat(18)}fix: ${c.fix}` : ''}`;
    })
    .join('\n');
}

export const doctorCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'doctor',
  describe: "Check what the providers need on this host (Docker engine and systemd containers, Vagrant and its VM provider, subnet, memory) and print each fix",
  handler: async (args) => {
    const ctx = await contextOrDefaults(args);
    for (const w of ctx.warnings) process.stderr.write(`${w}\n`);
    const own = createProvider(ctx);
    const providerChecks = await Promise.all(PROVIDER_KINDS.map((kind) => (kind === own.kind ? own : createProvider(ctx, kind)).doctor()));
    const checks = [...providerChecks.flat(), ...(await runPreflight(ctx.spec, own))];
    process.stdout.write(`lab ${ctx.spec.name}, provider ${ctx.spec.provider}:\n${formatChecks(checks, ctx.spec.provider)}\n`);
    if (checks.some((c) => !c.ok && concerns(c, ctx.spec.provider))) process.exitCode = ExitCode.missingTool;
  },
};
