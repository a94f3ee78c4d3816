/** The providers a lab can run on, and the one entry point commands use to reach them. */
import type { LabContext } from '../labdir/context.js';
import type { LabSpec } from '../spec/schema.js';
import { buildDebianBase, type BaseImageOptions } from './docker/base-image.js';
import { assertEngine, dockerClient } from './docker/client.js';
import { DockerProvider } from './docker/provider.js';
import { VagrantProvider } from './vagrant/provider.js';
import type { Provider } from './provider.js';

/** One per value of lab.yaml's provider: the type makes a new value fail here until it has a provider. */
const PROVIDERS: Record<LabSpec['provider'], (ctx: LabContext) => Provider> = {
  docker: (ctx) => new DockerProvider(ctx),
  vagrant: (ctx) => new VagrantProvider(ctx.spec, ctx.dir),
};

/** The provider the lab's spec names, or another one for the same lab (`lab doctor` asks both). */
export function createProvider(ctx: LabContext, kind: LabSpec['provider'] = ctx.spec.provider): Provider {
  return PROVIDERS[kind](ctx);
}

export { LOCAL_BASE_IMAGE, LOCAL_BASE_SUITE, OFFLINE_LAB_YAML, type BaseImageOptions } from './docker/base-image.js';

/** `lab image base`: the Docker provider's base image, made without a registry (debootstrap, then import). */
export async function buildBaseImage(options: BaseImageOptions): Promise<void> {
  const docker = dockerClient();
  await assertEngine(docker);
  await buildDebianBase(docker, options);
}
