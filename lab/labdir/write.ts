/**
 * Writes a rendered lab into its directory so that a failure leaves the previous contents as they
 * were: everything is staged first, then each file is renamed into place. Files are replaced in
 * place rather than swapping the whole directory because running containers bind-mount it.
 */
import { mkdir, readFile, rename, rm, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedLab } from '../render/types.js';

const MANIFEST = '.generated.json';

async function readManifest(dir: string): Promise<string[]> {
  try {
    return JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as string[];
  } catch {
    return [];
  }
}

async function unchanged(dir: string, rel: string, content: string): Promise<boolean> {
  try {
    return (await readFile(path.join(dir, rel), 'utf8')) === content;
  } catch {
    return false;
  }
}

export interface WriteResult {
  written: string[];
  removed: string[];
}

export async function writeLabDir(dir: string, files: RenderedLab): Promise<WriteResult> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const staging = path.join(dir, `.staging-${process.pid}-${Date.now()}`);
  const changed: string[] = [];
  try {
    for (const [rel, file] of files) {
      if (path.isAbsolute(rel) || rel.split('/').includes('..'))
        throw new Error(`refusing to write outside the lab directory: ${rel}`);
      if (await unchanged(dir, rel, file.content)) {
        await chmod(path.join(dir, rel), file.mode);
        continue;
      }
      const staged = path.join(staging, rel);
      await mkdir(path.dirname(staged), { recursive: true });
      await writeFile(staged, file.content, { mode: file.mode });
      await chmod(staged, file.mode); // writeFile's mode is masked by the umask
      changed.push(rel);
    }
    for (const rel of changed) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await rename(path.join(staging, rel), path.join(dir, rel));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const stale = (await readManifest(dir)).filter((rel) => !files.has(rel));
  await Promise.all(stale.map((rel) => rm(path.join(dir, rel), { force: true })));
  await writeFile(path.join(dir, MANIFEST), JSON.stringify([...files.keys()].sort(), null, 2) + '\n');
  return { written: changed, removed: stale };
}
