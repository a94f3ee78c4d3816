/** `lab image base`: build the local Debian base image for hosts where no registry is reachable. */
import type { CommandModule } from 'yargs';
import { buildBaseImage, LOCAL_BASE_IMAGE, LOCAL_BASE_SUITE, localBaseImage } from '../providers/index.js';
import { progressPrinter } from '../report/progress.js';
import type { GlobalArgs } from './options.js';
import { interruptible } from './up.js';
import { USAGE } from './usage.js';

interface ImageBaseArgs extends GlobalArgs {
  tag?: string;
  suite: string;
  mirror?: string;
}

const baseCommand: CommandModule<GlobalArgs, ImageBaseArgs> = {
  command: 'base',
  describe: `Build a Debian base image with debootstrap (no registry needed), tagged ${localBaseImage('SUITE')}`,
  builder: (y) =>
    y
      // The tag follows the suite: a forky build must never replace the trixie base other labs run on.
      .option('tag', {
        type: 'string',
        describe: `Image tag (default: ${localBaseImage('SUITE')}, ${LOCAL_BASE_IMAGE} for the default suite)`,
      })
      .option('suite', { type: 'string', default: LOCAL_BASE_SUITE, describe: 'Debian release' })
      .option('mirror', { type: 'string', describe: "Debian mirror (default: the host's apt sources)" }) as never,
  handler: async (args) => {
    const tag = args.tag ?? localBaseImage(args.suite);
    // Nothing is left to remove: the debootstrap directory goes on the way out, and an import cut off tags no image.
    await interruptible('lab image base', 'run `lab image base` again to build the image', (signal) =>
      buildBaseImage({ tag, suite: args.suite, mirror: args.mirror, onProgress: progressPrinter(), signal }),
    );
    process.stdout.write(`built ${tag}; use it with \`docker: { baseImage: ${tag} }\` in lab.yaml\n`);
  },
};

export const imageCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  ...USAGE.image,
  builder: (y) => y.command(baseCommand).demandCommand(1) as never,
  handler: () => undefined,
};
