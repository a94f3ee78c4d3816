/**
 * A scenario whose faults need a mechanism the nodes' kernel lacks (netem and NFQUEUE both missing
 * for latency, say) fails before its first step, naming the fault and what is missing: never a
 * fault that silently does nothing.
 */
import { ExitCode, LabError } from '../../errors.js';
import { howMet, probeFeatures, type Features, type Mechanism } from '../../cluster/fault-mechanisms.js';
import type { Provider } from '../../providers/provider.js';
import { FAULTS } from './registry.js';
import type { Scenario } from '../load.js';

/** Each fault of the scenario (and of `more`, faults a driver such as chaos injects) that needs something, once, with its need. Pure. */
export function scenarioNeeds(
  scenario: Pick<Scenario, 'steps'>,
  more: readonly string[] = [],
): { fault: string; need: Mechanism }[] {
  const names = new Set([...scenario.steps.flatMap((s) => (s.kind === 'fault' ? [s.fault] : [])), ...more]);
  return [...names].flatMap((fault) => {
    const need = FAULTS[fault]?.needs;
    return need ? [{ fault, need }] : [];
  });
}

/** The sentences naming what is not met; empty when all is. Pure. */
export function unmetNeeds(needs: readonly { fault: string; need: Mechanism }[], features: Features): string[] {
  return needs
    .filter(({ need }) => howMet(need, features) === null)
    .map(({ fault, need }) => `${fault} needs ${need}, which the nodes lack (a kernel feature or its tool)`);
}

/** Throws (exit 2) when a fault of the scenario cannot work on this lab's nodes. */
export async function refuseUnsupportedFaults(
  scenario: Scenario,
  provider: Provider,
  node: string,
  more: readonly string[] = [],
): Promise<void> {
  const needs = scenarioNeeds(scenario, more);
  if (needs.length === 0) return;
  let features: Features;
  try {
    features = await probeFeatures(provider, node);
  } catch (e) {
    throw new LabError(
      `scenario ${scenario.name} not started: cannot tell which fault mechanisms ${node} supports: ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.infrastructure,
      'check the lab with `lab status`',
    );
  }
  const unmet = unmetNeeds(needs, features);
  if (unmet.length > 0) {
    throw new LabError(
      `scenario ${scenario.name} not started: ${unmet.join('; ')}`,
      ExitCode.infrastructure,
      "`lab doctor` lists the mechanisms this lab's kernel has; run the scenario on a lab whose kernel has them",
    );
  }
}
