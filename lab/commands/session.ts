/** What a scenario run needs from a lab: its spec, a provider, its secrets; and bringing one up for tests and the bench. */
import { bringUp } from '../cluster/readiness.js';
import { generatedContext, specContext, type LabContext, type LabLocation } from '../labdir/context.js';
import { ExitCode, LabError } from '../errors.js';
import { generateLab } from '../labdir/generate.js';
import { readSecrets } from '../labdir/secrets.js';
import { createProvider } from '../providers/index.js';
import type { Provider } from '../providers/provider.js';
import type { LabSecrets } from '../render/types.js';
import { runScenario, type RunResult } from '../scenarios/engine.js';
import type { HistoryEvent } from '../scenarios/history.js';
import { loadScenario } from '../scenarios/load.js';

export interface OpenLab {
  ctx: LabContext;
  provider: Provider;
  secrets: LabSecrets;
}

/** A generated, running lab; throws (with the fix) when it is not up. */
export async function openLab(args: LabLocation): Promise<OpenLab> {
  const ctx = await generatedContext(args);
  const secrets = await readSecrets(ctx.dir);
  if (!secrets) throw new LabError(`no secrets.json in ${ctx.dir}`, ExitCode.badInput, 'run `lab up` first');
  const provider = createProvider(ctx);
  const running = await provider.running();
  const down = ctx.spec.nodes.map((n) => n.name).filter((n) => !running.includes(n));
  if (down.length > 0) throw new LabError(`the lab is not running (${down.join(', ')} down)`, ExitCode.infrastructure, 'start it with `lab up`');
  return { ctx, provider, secrets };
}

/** `lab up` without the printing, for the integration tests and the bench: a no-op when the lab is up and healthy. */
export async function upAndOpen(file: string, options: { signal?: AbortSignal } = {}): Promise<OpenLab> {
  const ctx = await specContext({ file });
  await generateLab(ctx);
  await bringUp(createProvider(ctx), ctx, { healthyTimeoutMs: 300_000, ...options });
  return openLab({ file });
}

/** Loads a scenario by name or file and runs it on an open lab. */
export async function runNamedScenario(lab: OpenLab, name: string, options: { signal?: AbortSignal; onEvent?: (e: HistoryEvent) => void } = {}): Promise<RunResult> {
  const scenario = await loadScenario(name);
  return runScenario({ scenario, spec: lab.ctx.spec, provider: lab.provider, secrets: lab.secrets, ...options });
}
