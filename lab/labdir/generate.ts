/** spec -> lab directory: secrets, rendering, the resolved spec (lab.json), written atomically. */
import type { LabContext } from './context.js';
import { GENERATED_SPEC_FILE } from './context.js';
import { renderLab } from '../render/index.js';
import type { LabSecrets, RenderedLab } from '../render/types.js';
import type { LabSpec } from '../spec/schema.js';
import { newBackupTls, tlsFits } from './backup-tls.js';
import { loadOrCreateSecrets, pgpassContent, PGPASS_FILE, SECRETS_FILE } from './secrets.js';
import { SUPERUSER_NAME } from '../render/types.js';
import { writeLabDir } from './write.js';

export interface GenerateResult {
  dir: string;
  changed: boolean;
  written: string[];
  removed: string[];
}

/** The secrets with certificates for exactly the lab's machines when it has a backup node, without any otherwise. */
function withBackupTls(spec: LabSpec, secrets: LabSecrets): LabSecrets {
  const { backupTls, ...passwords } = secrets;
  if (!spec.backup) return passwords;
  const machines = [...spec.nodes, spec.backup];
  return { ...passwords, backupTls: tlsFits(backupTls, machines) ? backupTls : newBackupTls(spec.name, machines) };
}

export async function generateLab(ctx: LabContext): Promise<GenerateResult> {
  const secrets = withBackupTls(ctx.spec, await loadOrCreateSecrets(ctx.dir));
  const files: RenderedLab = new Map(renderLab(ctx.spec, secrets));
  files.set(SECRETS_FILE, { content: JSON.stringify(secrets, null, 2) + '\n', mode: 0o600 });
  files.set(PGPASS_FILE, { content: pgpassContent(SUPERUSER_NAME, secrets.superuserPassword), mode: 0o600 });
  files.set(GENERATED_SPEC_FILE, { content: JSON.stringify(ctx.spec, null, 2) + '\n', mode: 0o644 });
  const { written, removed } = await writeLabDir(ctx.dir, files);
  return { dir: ctx.dir, changed: written.length + removed.length > 0, written, removed };
}
