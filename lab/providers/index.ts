/** The provider a lab's spec names. */
import type { LabContext } from '../commands/context.js';
import { ExitCode, LabError } from '../errors.js';
import { DockerProvider } from './docker/provider.js';
import type { Provider } from './provider.js';

export function createProvider(ctx: LabContext): Provider {
  switch (ctx.spec.provider) {
    case 'docker':
      return new DockerProvider(ctx);
    case 'vagrant':
      throw new LabError('the vagrant provider is not wired yet', ExitCode.missingTool, 'use `--provider docker` (or `provider: docker` in lab.yaml) for now');
  }
}
