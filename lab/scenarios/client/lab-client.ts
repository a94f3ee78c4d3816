/**
 * What a scenario run asks of the lab's services, in one seam: the sampler's look at each node, the
 * writer's inserts, the read-back of the run's rows from the final primary, and the lab's health at
 * the end. The one real client goes through LabAccess (Patroni REST, SQL and etcd on the published
 * ports); the engine's unit tests drive the same engine against a simulated cluster through it.
 */
import type { LabAccess } from '../../cluster/access.js';
import { etcdLeaderName } from '../../cluster/etcd.js';
import { labHealth, type LabHealth } from '../../cluster/health.js';
import { probeNode, type NodeSample } from '../../cluster/probe.js';
import { entryPaths, pathEnv, type EntryPathName } from '../../cluster/entry-paths.js';
import { haproxyServers, serversUp } from '../../cluster/haproxy.js';
import { PsqlSession } from '../../cluster/psql.js';
import type { SqlOutcome } from '../../cluster/sql.js';
import type { LabSpec } from '../../spec/schema.js';

/** Inserts the row (run, seq); never throws: says how the insert ended. */
export type RowWriter = (run: string, seq: number) => Promise<SqlOutcome>;

export interface LabClient {
  /** One look at a node (cluster/probe.ts); never throws: silence is an observation too. */
  sample(node: string): Promise<NodeSample>;
  /** Readies `node` to take the run's rows; throws when it cannot, and then nothing was sent. */
  writer(node: string): Promise<RowWriter>;
  /** The run's sequence numbers present on `node` (the final primary); the rows are then removed. */
  readBack(node: string, run: string): Promise<number[]>;
  /** The lab's health as `lab status` judges it. */
  health(): Promise<Pick<LabHealth, 'healthy' | 'problems'>>;
  /** The node whose etcd member is the raft leader now; throws when no member names one. */
  etcdLeader(): Promise<string>;
  /**
   * One statement through an entry path, as an application sends it; never throws. Absent where the
   * lab has no entry points (and in the engine's simulated lab).
   */
  viaPath?(path: EntryPathName, sql: string, values: (string | number)[]): Promise<SqlOutcome>;
  /** HAProxy's servers UP on its read-write and read-only listeners now; throws when it cannot be read. */
  haproxyUp?(): Promise<{ readWrite: string[]; readOnly: string[] }>;
  /** Ends the sessions the entry paths keep open (the libpq path's psql). */
  close?(): Promise<void>;
}

export const WRITES_TABLE = 'lab_scenario_writes';
/** The table the run's rows go into; every client makes sure it exists before its first write. */
export const CREATE_WRITES_TABLE = `CREATE TABLE IF NOT EXISTS ${WRITES_TABLE} (run text NOT NULL, seq integer NOT NULL, node text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run, seq))`;
const SAMPLE_TIMEOUT_MS = 1000;
/** A libpq statement's bound: connect (2 s per host that does not answer) plus the statement. */
const PSQL_TIMEOUT_MS = 5000;

/** psql takes literals, not parameters: only numbers and the run's own tag (letters, digits, '-', '/') are ever inlined. */
function inline(sql: string, values: (string | number)[]): string {
  return sql.replace(/\$(\d+)/g, (_, i: string) => {
    const v = values[Number(i) - 1];
    if (typeof v === 'number' && Number.isInteger(v)) return String(v);
    if (typeof v === 'string' && /^[A-Za-z0-9/_-]*$/.test(v)) return `'${v}'`;
    throw new Error(`cannot inline ${JSON.stringify(v)} into a psql statement`);
  });
}

/** The lab reached over the network, through `access` (which the caller closes). */
export function labClient(access: LabAccess, spec: Pick<LabSpec, 'nodes' | 'patroni' | 'entry'>): LabClient {
  let tableReady = false;
  const entry = spec.entry;
  const libpq = new PsqlSession();
  const viaPath = async (name: EntryPathName, sql: string, values: (string | number)[]): Promise<SqlOutcome> => {
    if (!entry) throw new Error('the lab has no entry points');
    // libpq lists every node; a node whose machine is down publishes no port here, and is left out
    // (libpq would get "refused" from it, at once). The HAProxy paths need no node's port.
    const nodes =
      name === 'libpq'
        ? (await Promise.all(spec.nodes.map((n) => access.endpoints(n.name).catch(() => null)))).filter((n) => n !== null)
        : [];
    // The HAProxy node down (its machine crashed) publishes no port: to an application, its address refuses.
    const haproxy =
      entry.haproxy && name !== 'libpq'
        ? await access.entryEndpoints().catch((e: unknown) => {
            throw Object.assign(new Error(`no HAProxy to connect to: ${e instanceof Error ? e.message : String(e)}`), {
              code: 'ECONNREFUSED',
            });
          })
        : null;
    const path = entryPaths(entry, haproxy, nodes).find((p) => p.name === name);
    if (!path) throw new Error(`the lab has no entry path ${name}`);
    if (name !== 'libpq') return access.sqlAt(path.hosts[0]!).attempt(sql, values);
    const done = await libpq.attempt(pathEnv(path, access.password), inline(sql, values), PSQL_TIMEOUT_MS);
    // The session is closed; a node started again may publish other ports: the next connection looks them up again.
    if (done.outcome !== 'ok') for (const n of spec.nodes) access.markStale(n.name);
    return done;
  };
  return {
    ...(entry ? { viaPath, close: () => libpq.close() } : {}),
    ...(entry?.haproxy
      ? {
          async haproxyUp() {
            const servers = await haproxyServers((await access.entryEndpoints()).stats, SAMPLE_TIMEOUT_MS);
            return { readWrite: serversUp(servers, 'primary'), readOnly: serversUp(servers, 'standbys') };
          },
        }
      : {}),
    sample: (node) => probeNode(access, node, SAMPLE_TIMEOUT_MS),
    async writer(node) {
      const sql = await access.sql(node);
      if (!tableReady) {
        await sql.query(CREATE_WRITES_TABLE);
        tableReady = true;
      }
      return async (run, seq) => {
        const done = await sql.attempt(`INSERT INTO ${WRITES_TABLE} (run, seq, node) VALUES ($1, $2, $3)`, [run, seq, node]);
        if (done.outcome !== 'ok') access.markStale(node);
        return done;
      };
    },
    async readBack(node, run) {
      const sql = await access.sql(node);
      const rows = await sql.query<{ seq: number }>(`SELECT seq FROM ${WRITES_TABLE} WHERE run = $1 ORDER BY seq`, [run]);
      // The entry paths' clients tag their rows <run>/<path>: gone with the run's own.
      await sql.query(`DELETE FROM ${WRITES_TABLE} WHERE run = $1 OR run LIKE $1 || '/%'`, [run]).catch(() => undefined);
      return rows.map((r) => r.seq);
    },
    health: () => labHealth(access, spec),
    etcdLeader: async () =>
      etcdLeaderName(
        await Promise.all(spec.nodes.map(async (n) => (await access.endpoints(n.name)).etcd)),
        SAMPLE_TIMEOUT_MS * 2,
      ),
  };
}
