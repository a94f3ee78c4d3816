/**
 * `lab env`: how an application on the host reaches the lab, per entry path: libpq's environment
 * (PGHOST, PGPORT, PGUSER, PGPASSFILE, PGDATABASE and, for multi-host, PGTARGETSESSIONATTRS) as shell
 * exports for one path, and every path's URI; or all of it as JSON. `eval "$(lab env)"` points psql
 * or an application at HAProxy's read-write port. The password stays in the lab's 0600 password
 * file unless --show-secrets asks for it, so a terminal or a CI log never shows it. A lab without an
 * `entry:` section still has the libpq multi-host path over its nodes' own ports.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { LabAccess } from '../cluster/access.js';
import { pathEnv, pathUri, type Credential, type EntryPath } from '../cluster/entry-paths.js';
import { entryPathsNow } from '../cluster/entry-now.js';
import { ExitCode, LabError } from '../errors.js';
import { generatedContext } from '../labdir/context.js';
import { PGPASS_FILE } from '../labdir/secrets.js';
import { createProvider } from '../providers/index.js';
import { shellQuote } from '../render/templates.js';
import type { GlobalArgs } from './options.js';
import { USAGE } from './usage.js';

interface EnvArgs extends GlobalArgs {
  json: boolean;
  path?: string;
  showSecrets: boolean;
}

/** Shell exports for `chosen`, then every path's URI as a comment (with the password only when it is the credential). Pure. */
export function formatEnv(paths: readonly EntryPath[], chosen: EntryPath, credential: Credential, noEntry = false): string {
  const exports = Object.entries(pathEnv(chosen, credential)).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  const password = typeof credential === 'string' ? credential : undefined;
  const uris = paths.map((p) => `#   ${p.name.padEnd(10)} (${p.mode}): ${pathUri(p, password)}`);
  const head = noEntry
    ? `# lab env: this lab has no entry: section, so the libpq multi-host path over the nodes' own ports (docs/entry-points.md adds HAProxy and PgBouncer)`
    : `# lab env: the ${chosen.name} path (${chosen.mode}); other paths: lab env --path NAME`;
  const secret = password === undefined ? ['# the password is in PGPASSFILE (mode 0600); lab env --show-secrets prints it'] : [];
  return [head, ...exports, ...secret, '# every path as a URI:', ...uris, ''].join('\n');
}

/** The path `--path` names, or the first read-write one. */
export function choosePath(paths: readonly EntryPath[], name: string | undefined): EntryPath {
  const chosen = name ? paths.find((p) => p.name === name) : paths.find((p) => p.mode === 'read-write');
  if (!chosen)
    throw new LabError(
      `no entry path ${name ?? '(read-write)'}`,
      ExitCode.badInput,
      `the paths are ${paths.map((p) => p.name).join(', ')}`,
    );
  return chosen;
}

export const envCommand: CommandModule<GlobalArgs, EnvArgs> = {
  ...USAGE.env,
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'Every path as JSON: mode, libpq environment, URI' })
      .option('path', { type: 'string', describe: 'Which path the exports are for (default: the first read-write one)' })
      .option('show-secrets', {
        type: 'boolean',
        default: false,
        describe: "Print the password (PGPASSWORD, and in URIs) instead of pointing at the lab's password file",
      }) as never,
  handler: async (args) => {
    const ctx = await generatedContext(args);
    const access = await LabAccess.forLab(await createProvider(ctx), ctx.dir);
    try {
      const paths = await entryPathsNow(access, ctx.spec.entry, ctx.spec.nodes);
      const credential: Credential = args.showSecrets ? access.password : { passfile: path.resolve(ctx.dir, PGPASS_FILE) };
      const password = args.showSecrets ? access.password : undefined;
      if (args.json) {
        const out = Object.fromEntries(
          paths.map((p) => [p.name, { mode: p.mode, env: pathEnv(p, credential), uri: pathUri(p, password) }]),
        );
        process.stdout.write(JSON.stringify({ lab: ctx.spec.name, paths: out }, null, 2) + '\n');
        return;
      }
      process.stdout.write(formatEnv(paths, choosePath(paths, args.path), credential, ctx.spec.entry === null));
    } finally {
      await access.close();
    }
  },
};
