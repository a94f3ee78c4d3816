/**
 * `lab env`: how an application on the host reaches the lab, per entry path: libpq's environment
 * (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and, for multi-host, PGTARGETSESSIONATTRS) as shell
 * exports for one path, and every path's URI; or all of it as JSON. `eval "$(lab env)"` points psql
 * or an application at HAProxy's read-write port.
 */
import type { CommandModule } from 'yargs';
import { LabAccess } from '../cluster/access.js';
import { pathEnv, pathUri, type EntryPath } from '../cluster/entry-paths.js';
import { entryPathsNow } from '../cluster/entry-now.js';
import { ExitCode, LabError } from '../errors.js';
import { generatedContext } from '../labdir/context.js';
import { createProvider } from '../providers/index.js';
import { shellQuote } from '../render/templates.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface EnvArgs extends GlobalArgs {
  json: boolean;
  path?: string;
}

/** Shell exports for `chosen`, then every path's URI as a comment. Pure. */
export function formatEnv(paths: readonly EntryPath[], chosen: EntryPath, password: string): string {
  const exports = Object.entries(pathEnv(chosen, password)).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  const uris = paths.map((p) => `#   ${p.name.padEnd(10)} (${p.mode}): ${pathUri(p, password)}`);
  return [`# lab env: the ${chosen.name} path (${chosen.mode}); other paths: lab env --path NAME`, ...exports, '# every path as a URI:', ...uris, ''].join('\n');
}

export const envCommand: CommandModule<GlobalArgs, EnvArgs> = {
  ...USAGE.env,
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'Every path as JSON: mode, libpq environment, URI' })
      .option('path', { type: 'string', describe: 'Which path the exports are for (default: the first read-write one)' }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const entry = ctx.spec.entry;
    if (!entry) throw new LabError('this lab has no entry points', ExitCode.badInput, 'add an `entry:` section to lab.yaml (docs/entry-points.md), then `lab up`');
    const provider = await createProvider(ctx);
    const access = await LabAccess.forLab(provider, ctx.dir);
    try {
      const paths = await entryPathsNow(access, entry, ctx.spec.nodes);
      if (args.json) {
        const out = Object.fromEntries(paths.map((p) => [p.name, { mode: p.mode, env: pathEnv(p, access.password), uri: pathUri(p, access.password) }]));
        process.stdout.write(JSON.stringify({ lab: ctx.spec.name, paths: out }, null, 2) + '\n');
        return;
      }
      const chosen = args.path ? paths.find((p) => p.name === args.path) : paths.find((p) => p.mode === 'read-write');
      if (!chosen) throw new LabError(`no entry path ${args.path ?? '(read-write)'}`, ExitCode.badInput, `the paths are ${paths.map((p) => p.name).join(', ')}`);
      process.stdout.write(formatEnv(paths, chosen, access.password));
    } finally {
      await access.close();
    }
  },
};
