/**
 * What a scenario run asks of the lab's services, in one seam: the sampler's look at each node, the
 * writer's inserts, the read-back of the run's rows from the final primary, and the lab's health at
 * the end. The one real client goes through LabAccess (Patroni REST, SQL and etcd on the published
 * ports); the engine's unit tests drive the same engine against a simulated cluster through it.
 */
import type { LabAccess } from '../cluster/access.js';
import { etcdLeaderName } from '../cluster/etcd.js';
import { labHealth, type LabHealth } from '../cluster/health.js';
import { probeNode, type NodeSample } from '../cluster/probe.js';
import type { SqlOutcome } from '../cluster/sql.js';
import type { LabSpec } from '../spec/schema.js';

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
}

export const WRITES_TABLE = 'lab_scenario_writes';
const SAMPLE_TIMEOUT_MS = 1000;

/** The lab reached over the network, through `access` (which the caller closes). */
export function labClient(access: LabAccess, spec: Pick<LabSpec, 'nodes' | 'patroni'>): LabClient {
  let tableReady = false;
  return {
    sample: (node) => probeNode(access, node, SAMPLE_TIMEOUT_MS),
    async writer(node) {
      const sql = await access.sql(node);
      if (!tableReady) {
        await sql.query(`CREATE TABLE IF NOT EXISTS ${WRITES_TABLE} (run text NOT NULL, seq integer NOT NULL, node text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run, seq))`);
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
      await sql.query(`DELETE FROM ${WRITES_TABLE} WHERE run = $1`, [run]).catch(() => undefined);
      return rows.map((r) => r.seq);
    },
    health: () => labHealth(access, spec),
    etcdLeader: async () => etcdLeaderName(await Promise.all(spec.nodes.map(async (n) => (await access.endpoints(n.name)).etcd)), SAMPLE_TIMEOUT_MS * 2),
  };
}
