/**
 * `lab psql [NODE | --path PATH] [-- ARGS]`: the host's psql with the lab's credentials, on one node's
 * published PostgreSQL port or through an entry path (default: the first read-write one), so a DBA
 * reaches PostgreSQL without looking up ports or passwords. The password goes by the lab's 0600
 * password file, never on a command line.
 */
import path from 'node:path';
import { execa } from 'execa';
import type { CommandModule } from 'yargs';
import { LabAccess } from '../cluster/access.js';
import { pathEnv } from '../cluster/entry-paths.js';
import { entryPathsNow } from '../cluster/entry-now.js';
import { ExitCode, LabError } from '../errors.js';
import { generatedContext } from '../labdir/context.js';
import { PGPASS_FILE } from '../labdir/secrets.js';
import { createProvider } from '../providers/index.js';
import { choosePath } from './env.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface PsqlArgs extends GlobalArgs {
  node?: string;
  path?: string;
  '--'?: (string | number)[];
}

export const psqlCommand: CommandModule<GlobalArgs, PsqlArgs> = {
  ...USAGE.psql,
  builder: (y) =>
    y
      .positional('node', { type: 'string', describe: 'A node: its own PostgreSQL, whatever its role' })
      .option('path', {
        type: 'string',
        describe: 'An entry path instead (haproxy-rw, haproxy-ro, pgbouncer, libpq); default: the first read-write one',
      })
      .conflicts('node', 'path')
      .parserConfiguration({ 'populate--': true }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    if (args.node !== undefined && !ctx.spec.nodes.some((n) => n.name === args.node)) {
      throw new LabError(
        `no node ${args.node} in lab ${ctx.spec.name}`,
        ExitCode.badInput,
        `the nodes are ${ctx.spec.nodes.map((n) => n.name).join(', ')}`,
      );
    }
    const access = await LabAccess.forLab(await createProvider(ctx), ctx.dir);
    const target = await (async () => {
      if (args.node !== undefined) return { hosts: [(await access.endpoints(args.node)).postgres] };
      return choosePath(await entryPathsNow(access, ctx.spec.entry, ctx.spec.nodes), args.path);
    })().finally(() => access.close());
    const env = pathEnv(target, { passfile: path.resolve(ctx.dir, PGPASS_FILE) });
    const run = await execa('psql', (args['--'] ?? []).map(String), { env, stdio: 'inherit', reject: false });
    process.exitCode = run.exitCode ?? ExitCode.infrastructure;
  },
};
