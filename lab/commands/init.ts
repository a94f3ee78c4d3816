/** `lab init`: writes a commented lab.yaml whose defaults reproduce the document. */
import { writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { LabError, ExitCode } from '../errors.js';
import { sampleLabYaml } from '../spec/sample.js';
import { editorJsonSchema } from '../spec/json-schema.js';
import { USAGE } from './usage.js';

export const initCommand: CommandModule<{ file: string }, { file: string; force: boolean }> = {
  ...USAGE.init,
  builder: (y) => y.option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing file' }) as never,
  handler: async (args) => {
    if (!args.force) {
      const exists = await access(args.file).then(
        () => true,
        () => false,
      );
      if (exists)
        throw new LabError(
          `${args.file} already exists`,
          ExitCode.badInput,
          'pass --force to overwrite it, or -f to name another file',
        );
    }
    await writeFile(args.file, sampleLabYaml(), { flag: args.force ? 'w' : 'wx' });
    // The sample's first line points editors (yaml-language-server) at this file.
    const schemaFile = path.join(path.dirname(args.file), 'lab.schema.json');
    await writeFile(schemaFile, JSON.stringify(editorJsonSchema(), null, 2) + '\n');
    process.stdout.write(
      `wrote ${args.file} and ${schemaFile}: three Ubuntu nodes at 192.168.1.11-13, as in the document. Next: lab generate\n`,
    );
  },
};
