/**
 * The ways an application reaches the cluster from the host, one definition for `lab env`, `lab
 * status` and the scenarios' clients: HAProxy's read-write and read-only ports, PgBouncer in front of
 * the read-write one, and a libpq multi-host connection string over every node with
 * target_session_attrs=read-write. Pure: the caller gives the current host ports.
 */
import type { EntryEndpoints, NodeEndpoints } from '../providers/provider.js';
import type { EntrySpec } from '../spec/schema.js';
import { SUPERUSER_NAME } from '../render/types.js';
import type { Endpoint } from './patroni.js';

/** Every entry path by name, with its mode; `configuredPaths` says which a lab has. */
export const PATH_MODES = {
  'haproxy-rw': 'read-write',
  pgbouncer: 'read-write',
  'haproxy-ro': 'read-only',
  libpq: 'read-write',
} as const;
export type EntryPathName = keyof typeof PATH_MODES;
export const pathsOfMode = (mode: EntryPath['mode']): EntryPathName[] =>
  (Object.keys(PATH_MODES) as EntryPathName[]).filter((p) => PATH_MODES[p] === mode);

export interface EntryPath {
  name: EntryPathName;
  mode: 'read-write' | 'read-only';
  /** One host, or every node in order for libpq multi-host. */
  hosts: Endpoint[];
  /** libpq's target_session_attrs: only the multi-host path needs it, the others route by themselves. */
  targetSessionAttrs?: 'read-write';
}

export const PATH_USER = SUPERUSER_NAME;
export const PATH_DATABASE = 'postgres';

/** The paths an `entry:` section configures, by name and mode (the order clients and reports use). */
export function configuredPaths(entry: EntrySpec): Pick<EntryPath, 'name' | 'mode'>[] {
  return [
    ...(entry.haproxy ? [{ name: 'haproxy-rw', mode: 'read-write' } as const] : []),
    ...(entry.haproxy && entry.pgbouncer ? [{ name: 'pgbouncer', mode: 'read-write' } as const] : []),
    ...(entry.haproxy ? [{ name: 'haproxy-ro', mode: 'read-only' } as const] : []),
    ...(entry.libpq ? [{ name: 'libpq', mode: 'read-write' } as const] : []),
  ];
}

/** The entry paths a lab's `entry:` section configures, at the given host ports. */
export function entryPaths(entry: EntrySpec, haproxy: EntryEndpoints | null, nodes: readonly NodeEndpoints[]): EntryPath[] {
  const paths: EntryPath[] = [];
  if (entry.haproxy && haproxy) {
    paths.push({ name: 'haproxy-rw', mode: 'read-write', hosts: [haproxy.readWrite] });
    if (entry.pgbouncer && haproxy.pgbouncer) paths.push({ name: 'pgbouncer', mode: 'read-write', hosts: [haproxy.pgbouncer] });
    paths.push({ name: 'haproxy-ro', mode: 'read-only', hosts: [haproxy.readOnly] });
  }
  if (entry.libpq)
    paths.push({ name: 'libpq', mode: 'read-write', hosts: nodes.map((n) => n.postgres), targetSessionAttrs: 'read-write' });
  return paths;
}

/** How a client proves who it is: the password itself, or a libpq password file that holds it. */
export type Credential = string | { passfile: string };

/** libpq's environment for a path (or any hosts): PGHOST and PGPORT list every host for multi-host. */
export function pathEnv(path: Pick<EntryPath, 'hosts' | 'targetSessionAttrs'>, credential: Credential): Record<string, string> {
  return {
    PGHOST: path.hosts.map((h) => h.host).join(','),
    PGPORT: path.hosts.map((h) => String(h.port)).join(','),
    PGUSER: PATH_USER,
    ...(typeof credential === 'string' ? { PGPASSWORD: credential } : { PGPASSFILE: credential.passfile }),
    PGDATABASE: PATH_DATABASE,
    ...(path.targetSessionAttrs ? { PGTARGETSESSIONATTRS: path.targetSessionAttrs } : {}),
  };
}

/** The path as a connection URI (libpq's multi-host form lists host:port pairs); without a password, libpq reads PGPASSFILE. */
export function pathUri(path: EntryPath, password?: string): string {
  const hosts = path.hosts.map((h) => `${h.host}:${h.port}`).join(',');
  const query = path.targetSessionAttrs ? `?target_session_attrs=${path.targetSessionAttrs}` : '';
  const user = password === undefined ? PATH_USER : `${PATH_USER}:${encodeURIComponent(password)}`;
  return `postgresql://${user}@${hosts}/${PATH_DATABASE}${query}`;
}

/** The variable naming a path's URI in a `--workload` command's environment: PGHA_LAB_HAPROXY_RW_URI. */
export const uriVariable = (path: EntryPathName): string => `PGHA_LAB_${path.toUpperCase().replace(/-/g, '_')}_URI`;

/**
 * What `lab scenario --workload CMD` hands the command: libpq's environment for the first read-write
 * path (as `eval "$(lab env)"` gives), and every path's URI. Pure.
 */
export function workloadEnv(paths: readonly EntryPath[], password: string): Record<string, string> {
  const first = paths.find((p) => p.mode === 'read-write');
  return {
    ...(first ? pathEnv(first, password) : {}),
    ...Object.fromEntries(paths.map((p) => [uriVariable(p.name), pathUri(p, password)])),
  };
}
