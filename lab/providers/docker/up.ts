/**
 * `up` for the Docker provider: node image, network, containers, provisioners, then a bounded wait
 * for health. Each stage reuses what exists, so a second `up` on a healthy lab changes nothing.
 */
import type Docker from 'dockerode';
import { labHealth, waitHealthy } from '../../cluster/health.js';
import type { LabSpec } from '../../spec/schema.js';
import type { Provider, UpOptions, UpResult } from '../provider.js';
import { assertEngine } from './client.js';
import { containerName } from './naming.js';
import { ensureNodeImage, waitForSystemd } from './node-image.js';
import { ensureNetwork, ensureNodeContainer, removeStrayNodes, runningNodes, type ContainerOutcome } from './objects.js';
import { labFingerprint, provisionNodes } from './provision.js';
import { writeState, type DockerLabState } from './state.js';
import { step } from './steps.js';

export const DEFAULT_HEALTHY_TIMEOUT_MS = 180_000;
const SYSTEMD_BOOT_TIMEOUT_MS = 120_000;

export interface UpContext {
  docker: Docker;
  spec: LabSpec;
  dir: string;
  state: DockerLabState;
  provider: Pick<Provider, 'exec' | 'endpoints' | 'running'>;
}

export async function upLab(ctx: UpContext, options: UpOptions): Promise<UpResult> {
  const { docker, spec, dir, state, provider } = ctx;
  const { signal, onStep } = options;
  const labId = state.labId;
  await assertEngine(docker);
  const fingerprint = await labFingerprint(dir);

  const running = await runningNodes(docker, labId);
  const allRunning = spec.nodes.every((n) => running.includes(n.name));
  if (state.provisioned === fingerprint && allRunning && (await labHealth(provider, spec, { signal })).healthy) return { changed: false };

  const image = await ensureNodeImage({ docker, spec, labId, dir, signal, onStep });
  const objects = { docker, spec, labId, dir };
  const networkCreated = await step(onStep, null, 'network', () => ensureNetwork(objects, signal));
  const stray = await removeStrayNodes(objects);
  const outcomes: ContainerOutcome[] = await Promise.all(
    spec.nodes.map((node) =>
      step(onStep, node.name, 'container', async () => {
        const outcome = await ensureNodeContainer(objects, image.tag, node, signal);
        await waitForSystemd(docker.getContainer(containerName(labId, node.name)), SYSTEMD_BOOT_TIMEOUT_MS, signal);
        return outcome;
      }),
    ),
  );

  const provision = state.provisioned !== fingerprint || outcomes.includes('created');
  if (provision) {
    // Cleared first: a failure part-way must make the next `up` provision again.
    await writeState(dir, { ...state, provisioned: null });
    await provisionNodes({ spec, dir, signal, onStep, container: (node) => docker.getContainer(containerName(labId, node)) });
    await writeState(dir, { ...state, provisioned: fingerprint });
  }
  await step(onStep, null, 'healthy', () =>
    waitHealthy(provider, spec, { timeoutMs: options.healthyTimeoutMs ?? DEFAULT_HEALTHY_TIMEOUT_MS, signal }),
  );
  return { changed: image.built || networkCreated || stray.length > 0 || provision || outcomes.some((o) => o !== 'running') };
}
