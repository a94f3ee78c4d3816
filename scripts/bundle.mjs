/**
 * Bundles the `lab` executable with esbuild: dist/lab/cli.js (over tsc's unbundled file of that name)
 * and, one file each, the chunks the commands' lazy imports split into, in dist/lab/chunks/. Why: loading
 * ES modules one file at a time (resolving, reading and compiling a few hundred of them) was most of every
 * command's start-up. Run after tsc, by `npm run build` and `npm run build:test`, so what the tests run is
 * what users run. docs/architecture.md, "The executable is a bundle", says what stays outside it.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/lab`;
const chunkNames = 'chunks/[name]-[hash]';

/**
 * Each `import stringWidth from 'string-width'` gets scripts/lazy-string-width.cjs in front of the
 * copy that importer would have had (yargs and cliui each have their own version), so the real module
 * is evaluated on first need, not when cli.js loads: the file says why.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      // Relative to the root, so that no path of the machine that built it is written into the bundle.
      return { path: `./${path.relative(root, real.path)}`, namespace: 'lazy-string-width' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      // require(), not import: esbuild wraps a required ES module so that it runs when first required.
      contents: `const { lazyStringWidth } = require('./scripts/lazy-string-width.cjs');
module.exports = lazyStringWidth(() => require(${JSON.stringify(args.path)}).default);`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

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
  plugins: [lazyStringWidth],
  // The CommonJS dependencies inside (handlebars, proper-lockfile, ...) call require() for Node's own modules.
  banner: { js: "import { createRequire as __labRequire } from 'node:module'; const require = __labRequire(import.meta.url);" },
  logLevel: 'warning',
});
