/**
 * Per-lab secrets: made once, kept in the lab directory (owner-only), reused by every later
 * `generate` so a running lab's passwords do not change under it.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError, ExitCode } from '../errors.js';
import type { LabSecrets } from '../render/types.js';

export const SECRETS_FILE = 'secrets.json';

/**
 * A libpq password file for the superuser, so `lab env` can point at it (PGPASSFILE) instead of
 * printing the password into a terminal or a CI log. Any host and port: the lab's ports are chosen by
 * the engine, and the file is read only by clients that `lab env` sent to it.
 */
export const PGPASS_FILE = 'pgpass';

/** The password file's one line; `:` and `\` are escaped as libpq requires. Pure. */
export function pgpassContent(user: string, password: string): string {
  const escaped = (s: string): string => s.replace(/[\\:]/g, '\\$&');
  return `*:*:*:${escaped(user)}:${escaped(password)}\n`;
}
const KEYS: (keyof LabSecrets)[] = ['superuserPassword', 'replicationPassword', 'rewindPassword', 'restApiPassword'];

function newPassword(): string {
  // base64url: no quoting trouble in YAML, env files or connection strings.
  return randomBytes(18).toString('base64url');
}

export function newSecrets(): LabSecrets {
  return Object.fromEntries(KEYS.map((k) => [k, newPassword()])) as unknown as LabSecrets;
}

export async function readSecrets(dir: string): Promise<LabSecrets | null> {
  const file = path.join(dir, SECRETS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const missing = KEYS.filter((k) => typeof parsed[k] !== 'string' || !/^[A-Za-z0-9_-]{12,}$/.test(parsed[k] as string));
  if (missing.length > 0) {
    throw new LabError(
      `${file} lacks a usable ${missing.join(', ')}`,
      ExitCode.badInput,
      `delete ${file} to make new secrets (then re-create the lab: \`lab down && lab up\`)`,
    );
  }
  return parsed as unknown as LabSecrets;
}

export async function loadOrCreateSecrets(dir: string): Promise<LabSecrets> {
  return (await readSecrets(dir)) ?? newSecrets();
}
