/** What `render` produces: file paths relative to the lab directory, with contents and modes. */
export interface RenderedFile {
  content: string;
  /** Unix permission bits; files holding secrets are 0o600. */
  mode: number;
}

export type RenderedLab = Map<string, RenderedFile>;

/** PostgreSQL's superuser, the role the lab's clients and `lab psql` connect as (patroni.yml's superuser). */
export const SUPERUSER_NAME = 'postgres';

/** Generated once per lab (kept in the lab directory) and never the document's sample passwords. */
export interface LabSecrets {
  superuserPassword: string;
  replicationPassword: string;
  rewindPassword: string;
  restApiPassword: string;
  /** pgBackRest's TLS material, with a `backup:` section (labdir/backup-tls.ts). */
  backupTls?: BackupTls;
}

/** A lab's certificate authority and each machine's certificate and key (PEM), with the address it names. */
export interface BackupTls {
  ca: string;
  hosts: Record<string, { cert: string; key: string; ip: string }>;
}
