/** What a scenario run needs from a generated lab: its spec, a provider, and its secrets. */
import { generatedContext, type GlobalArgs, type LabContext } from '../commands/context.js';
import { ExitCode, LabError } from '../errors.js';
import { readSecrets } from '../labdir/secrets.js';
import { createProvider } from '../providers/index.js';
import type { Provider } from '../providers/provider.js';
import type { LabSecrets } from '../render/types.js';

export interface OpenLab {
  ctx: LabContext;
  provider: Provider;
  secrets: LabSecrets;
}

export async function openLab(args: GlobalArgs): Promise<OpenLab> {
  const ctx = await generatedContext(args);
  const secrets = await readSecrets(ctx.dir);
  if (!secrets) throw new LabError(`no secrets.json in ${ctx.dir}`, ExitCode.badInput, 'run `lab up` first');
  const provider = createProvider(ctx);
  const running = await provider.running();
  const down = ctx.spec.nodes.map((n) => n.name).filter((n) => !running.includes(n));
  if (down.length > 0) throw new LabError(`the lab is not running (${down.join(', ')} down)`, ExitCode.infrastructure, 'start it with `lab up`');
  return { ctx, provider, secrets };
}
