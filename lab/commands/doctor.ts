/**
 * `lab doctor`: what each provider needs on this host (their own doctor()) and what the lab asks of
 * the host (preflight), each problem with the exact fix, for the lab's provider alone (or --provider's).
 * Where Vagrant has no machine provider to run, it says how to run the same lab on Docker instead.
 */
import { access } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { ExitCode } from '../errors.js';
import { concerns, runPreflight } from '../preflight/index.js';
import { createProvider, OFFLINE_LAB_YAML } from '../providers/index.js';
import type { DoctorCheck, Provider } from '../providers/provider.js';
import { howMet, NEEDS, probeFeatures, type Features } from '../cluster/fault-mechanisms.js';
import { validateSpec } from '../spec/parse.js';
import type { LabSpec } from '../spec/schema.js';
import { specContext, defaultLabDir, type LabContext } from '../labdir/context.js';
import { providerOption, type GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

/** lab.yaml when there is one; the document's defaults otherwise, so doctor runs before `lab init`. */
async function contextOrDefaults(args: GlobalArgs): Promise<LabContext> {
  if (
    await access(args.file).then(
      () => true,
      () => false,
    )
  )
    return specContext(args);
  const spec = validateSpec(args.provider ? { provider: args.provider } : {}).spec!;
  return { spec, dir: args.dir ?? defaultLabDir(spec), warnings: [`${args.file} not found: checking the defaults`] };
}

/** The checks that concern a lab of `provider` (its own and the host's), one line each with its fix. Pure. */
export function formatChecks(checks: readonly DoctorCheck[], provider: LabSpec['provider']): string {
  return checks
    .filter((c) => concerns(c, provider))
    .map(
      (c) =>
        `${c.area.padEnd(8)} ${(c.ok ? 'ok' : 'PROBLEM').padEnd(8)} ${c.what}${c.fix ? `\n${' '.repeat(18)}fix: ${c.fix}` : ''}`,
    )
    .join('\n');
}

/** What the fault mechanisms need, as the lab's first running node's kernel offers them. Never throws. */
async function faultMechanisms(provider: Provider): Promise<string> {
  const node = (await provider.running().catch(() => []))[0];
  if (!node) return "fault mechanisms: not probed (they are the nodes' kernel's): start the lab and run `lab doctor` again";
  try {
    return `fault mechanisms, as ${node}'s kernel has them:\n${formatMechanisms(await probeFeatures(provider, node))}`;
  } catch (e) {
    return `fault mechanisms: ${node} could not be probed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * The way out when Vagrant cannot run here (no VirtualBox, no libvirt): the same lab in containers,
 * offline. Empty unless the lab is Vagrant's and one of its own checks failed. Pure.
 */
export function dockerAlternative(checks: readonly DoctorCheck[], provider: LabSpec['provider']): string {
  if (provider !== 'vagrant' || checks.every((c) => c.ok || c.area !== 'vagrant')) return '';
  return [
    'no VM provider? the same lab runs in containers on Docker:',
    `  in lab.yaml: provider: docker, ${OFFLINE_LAB_YAML.join(', ')}`,
    '  then: lab doctor --provider docker; lab image base; lab up',
    '',
  ].join('\n');
}

/** One line per need: how it is met, or that scenarios needing it are refused. Pure. */
export function formatMechanisms(features: Features): string {
  return NEEDS.map((need) => {
    const how = howMet(need, features);
    return `  ${need.padEnd(10)} ${how ? `ok       ${how}` : 'missing  scenarios with a fault that needs it are refused (exit 2)'}`;
  }).join('\n');
}

export const doctorCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  ...USAGE.doctor,
  builder: (y) => y.option('provider', providerOption) as never,
  handler: async (args) => {
    const ctx = await contextOrDefaults(args);
    for (const w of ctx.warnings) process.stderr.write(`${w}\n`);
    const own = await createProvider(ctx);
    const checks = [...(await own.doctor()), ...(await runPreflight(ctx.spec, own))].filter((c) =>
      concerns(c, ctx.spec.provider),
    );
    process.stdout.write(
      `lab ${ctx.spec.name}, provider ${ctx.spec.provider}:\n${formatChecks(checks, ctx.spec.provider)}\n${dockerAlternative(checks, ctx.spec.provider)}`,
    );
    process.stdout.write(`${await faultMechanisms(own)}\n`);
    if (checks.some((c) => !c.ok)) process.exitCode = ExitCode.missingTool;
  },
};
