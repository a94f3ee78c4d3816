/**
 * The package's own files (templates/, provision/, the shipped scenarios/, package.json), located from
 * this module's path: whether it runs compiled from dist/lab/render/ or bundled into dist/lab/cli.js
 * or a chunk of it in dist/lab/chunks/, the package root is the nearest ancestor holding package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: where templates/, provision/ and the shipped scenarios/ live. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pgha-lab: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const texts = new Map<string, string>();

/** A file of the package, by its path from the package root (cached: the package does not change while we run). */
export function packageFile(path: string): string {
  let text = texts.get(path);
  if (text === undefined) {
    text = readFileSync(join(packageRoot(), path), 'utf8');
    texts.set(path, text);
  }
  return text;
}

/** The version `lab --version` prints: package.json's. */
export function packageVersion(): string {
  return (JSON.parse(packageFile('package.json')) as { version: string }).version;
}
