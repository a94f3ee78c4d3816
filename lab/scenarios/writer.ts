/**
 * The writer: sequence-numbered inserts, one at a time, through whichever node accepts writes now.
 * Each is recorded as invoked, then acknowledged (the commit returned), failed (it certainly did not
 * happen) or indeterminate (it may have: the outcome is unknown), with the error's class. The rows
 * are what no-lost-writes later looks for on the final primary.
 */
import type { HistoryRecorder, WriteEvent } from './history.js';
import type { LabAccess } from '../cluster/access.js';
import { BackgroundLoop } from './loop.js';
import { currentLeader, viewSince } from './view.js';

export const WRITES_TABLE = 'lab_scenario_writes';
const WRITE_PERIOD_MS = 50;
/** A sample older than this does not tell where to write. */
const STALE_VIEW_MS = 2000;

export class Writer {
  private readonly loop: BackgroundLoop;
  private seq = 0;
  private tableReady = false;

  constructor(
    private readonly recorder: HistoryRecorder,
    private readonly access: LabAccess,
    private readonly run: string,
  ) {
    this.loop = new BackgroundLoop(WRITE_PERIOD_MS, () => this.writeOnce(), recorder.clock);
  }

  private async writeOnce(): Promise<void> {
    const target = currentLeader(viewSince(this.recorder.events, this.recorder.meta.nodes, this.recorder.now() - STALE_VIEW_MS));
    if (!target) return; // nobody accepts writes: a client would have nowhere to send one either
    const sql = await this.access.sql(target.node);
    if (!this.tableReady) {
      await sql.query(`CREATE TABLE IF NOT EXISTS ${WRITES_TABLE} (run text NOT NULL, seq integer NOT NULL, node text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run, seq))`);
      this.tableReady = true;
    }
    const seq = ++this.seq;
    this.recorder.record<WriteEvent>({ kind: 'write', seq, phase: 'invoke', node: target.node });
    const done = await sql.attempt(`INSERT INTO ${WRITES_TABLE} (run, seq, node) VALUES ($1, $2, $3)`, [this.run, seq, target.node]);
    if (done.outcome === 'ok') {
      this.recorder.record<WriteEvent>({ kind: 'write', seq, phase: 'ok', node: target.node });
      return;
    }
    this.access.markStale(target.node);
    this.recorder.record<WriteEvent>({ kind: 'write', seq, phase: done.outcome, node: target.node, error: done.message, errorClass: done.errorClass });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}

/** The run's sequence numbers present on `node` (the final primary); the rows are then removed. */
export async function readBackWrites(access: LabAccess, node: string, run: string): Promise<number[]> {
  const sql = await access.sql(node);
  const rows = await sql.query<{ seq: number }>(`SELECT seq FROM ${WRITES_TABLE} WHERE run = $1 ORDER BY seq`, [run]);
  await sql.query(`DELETE FROM ${WRITES_TABLE} WHERE run = $1`, [run]).catch(() => undefined);
  return rows.map((r) => r.seq);
}
