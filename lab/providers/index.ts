/** The providers a lab can run on, and the one entry point commands use to reach them. */
import type { LabContext } from '../labdir/context.js';
import type { LabSpec } from '../spec/schema.js';
import type { BaseImageOptions } from './docker/base-image.js';
import { assertEngine, dockerClient } from './docker/client.js';
import type { Provider } from './provider.js';

/**
 * One per value of lab.yaml's provider: the type makes a new value fail here until it has a provider.
 * Each is loaded when a lab asks for it, with its whole stack (the node containers' renderer, Vagrant's
 * CLI and ssh): a command that stops before it reaches a provider, or uses one, loads no other.
 */
const PROVIDERS: Record<LabSpec['provider'], (ctx: LabContext) => Promise<Provider>> = {
  docker: async (ctx) => new (await import('./docker/provider.js')).DockerProvider(ctx),
  vagrant: async (ctx) => new (await import('./vagrant/provider.js')).VagrantProvider(ctx.spec, ctx.dir),
};

/** The provider the lab's spec names, or another one for the same lab (`lab doctor` asks both). */
export function createProvider(ctx: LabContext, kind: LabSpec['provider'] = ctx.spec.provider): Promise<Provider> {
  return PROVIDERS[kind](ctx);
}

export { LOCAL_BASE_IMAGE, LOCAL_BASE_SUITE, localBaseImage, OFFLINE_LAB_YAML } from './docker/base-image-tag.js';
export type { BaseImageOptions } from './docker/base-image.js';

/** `lab image base`: the Docker provider's base image, made without a registry (debootstrap, then import). */
export async function buildBaseImage(options: BaseImageOptions): Promise<void> {
  const docker = dockerClient();
  await assertEngine(docker);
  const { buildDebianBase } = await import('./docker/base-image.js');
  await buildDebianBase(docker, options);
}
