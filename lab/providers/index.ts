/** The provider a lab's spec names. */
import type { LabContext } from '../labdir/context.js';
import { DockerProvider } from './docker/provider.js';
import { VagrantProvider } from './vagrant/provider.js';
import type { Provider } from './provider.js';

export function createProvider(ctx: LabContext): Provider {
  switch (ctx.spec.provider) {
    case 'docker':
      return new DockerProvider(ctx);
    case 'vagrant':
      return new VagrantProvider(ctx.spec, ctx.dir);
  }
}
