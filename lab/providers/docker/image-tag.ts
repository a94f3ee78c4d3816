/** Content-addressed image tags: a hash of what decides an image's contents, so a cached image is found and a change rebuilds. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** `repo:<16 hex digits>`, hashing the parts in order. Pure. */
export function hashedTag(repo: string, parts: readonly unknown[]): string {
  return `${repo}:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)}`;
}

/** The text of these files of the lab directory's provision/, in order. */
export function provisionScripts(dir: string, files: readonly string[]): Promise<string[]> {
  return Promise.all(files.map((f) => readFile(path.join(dir, 'provision', f), 'utf8')));
}
