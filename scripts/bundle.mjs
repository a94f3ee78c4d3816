/**
 * Bundles the `lab` executable with esbuild: dist/lab/cli.js (over tsc's unbundled file of that name)
 * and, one file each, the chunks the commands' lazy imports split into, in dist/lab/chunks/. Why: loading
 * ES modules one file at a time (resolving, reading and compiling a few hundred of them) was most of every
 * command's start-up. Run after tsc, by `npm run build` and `npm run build:test`, so what the tests run is
 * what users run. docs/architecture.md, "The executable is a bundle", says what stays outside it.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/lab`;
const chunkNames = 'chunks/[name]-[hash]';

// Chunks are named by their content's hash: the last build's would pile up beside this one's.
rmSync(`${outdir}/chunks`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['lab/cli.ts'],
  bundle: true,
  // Keeps lab/commands/index.ts's `import()` of each command: a command's stack is loaded when it is asked for.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  chunkNames,
  sourcemap: true,
  // ssh2 requires its native crypto addon and cpu-features by relative path: it is loaded from node_modules
  // (lab/providers/vagrant/ssh.ts requires it on first use), as are dockerode and pg, which the code
  // requires the same way (createRequire), so they never enter the bundle.
  external: ['ssh2'],
  // The CommonJS dependencies inside (handlebars, proper-lockfile, ...) call require() for Node's own modules.
  banner: { js: "import { createRequire as __labRequire } from 'node:module'; const require = __labRequire(import.meta.url);" },
  logLevel: 'warning',
});
