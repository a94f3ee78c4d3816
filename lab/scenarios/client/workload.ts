/**
 * Clients that reach the cluster the way applications do, through the lab's entry points: a writer
 * on each read-write path (HAProxy's 5000, PgBouncer, libpq multi-host) and a reader on HAProxy's
 * read-only port. Each sends one operation at a time and, on an error, simply sends the next one: the
 * path's pool (node-postgres through HAProxy and PgBouncer, libpq's host list) reconnects, as an
 * application's would. Every operation goes into the History with its path and outcome, and HAProxy's
 * view of its servers is recorded whenever it changes, so the report can say where the seconds went.
 */
import type { EntryPathName } from '../../cluster/entry-paths.js';
import { ExitCode, LabError } from '../../errors.js';
import type { ClientChoice } from '../load.js';
import { classifySqlFailure, type SqlOutcome } from '../../cluster/sql.js';
import type { HaproxyEvent, HistoryRecorder, OpEvent } from '../history/history.js';
import { CREATE_WRITES_TABLE, WRITES_TABLE, type LabClient } from './lab-client.js';
import { BackgroundLoop } from './loop.js';

/** Slower than the direct writer's 50 ms: four clients, each a session, share the host with the lab. */
const OP_PERIOD_MS = 200;
const HAPROXY_PERIOD_MS = 250;

export interface PathSpec {
  name: EntryPathName;
  mode: 'read-write' | 'read-only';
}

/**
 * The paths clients run on: those the scenario's `clients:` chose (every configured one of a mode
 * whose list it leaves out), in the lab's order; no reader without a writer. Throws (exit 3) when it
 * names a path the lab does not have, before anything runs. Pure.
 */
export function chosenPaths(configured: readonly PathSpec[], choice: ClientChoice | undefined, scenario: string): PathSpec[] {
  const lists = { 'read-write': choice?.writers, 'read-only': choice?.readers } as const;
  const field = { 'read-write': 'clients.writers', 'read-only': 'clients.readers' } as const;
  for (const mode of ['read-write', 'read-only'] as const) {
    const has = configured.filter((p) => p.mode === mode).map((p) => p.name);
    const missing = (lists[mode] ?? []).filter((name) => !has.includes(name));
    if (missing.length > 0) {
      throw new LabError(
        `scenario ${scenario}: ${field[mode]} names ${missing.join(', ')}, which this lab's entry: section does not configure (its ${mode} paths: ${has.join(', ') || 'none'})`,
        ExitCode.badInput,
        `add the entry point to lab.yaml (docs/entry-points.md) and \`lab up\`, or leave it out of ${field[mode]}`,
      );
    }
  }
  const chosen = configured.filter((p) => lists[p.mode]?.includes(p.name) ?? true);
  // A reader reads a writer's rows: with no writer (clients.writers: []) it has nothing to read.
  return chosen.some((p) => p.mode === 'read-write') ? chosen : [];
}

/** The run tag of a path's rows: the run's own rows stay the direct writer's. */
export const pathRun = (run: string, path: string): string => `${run}/${path}`;

type PathClient = Required<Pick<LabClient, 'viaPath'>>;

/** The operations of one client: numbered, recorded invoke -> outcome. */
class PathOperations {
  private id = 0;

  constructor(
    private readonly recorder: HistoryRecorder,
    private readonly client: PathClient,
    private readonly path: EntryPathName,
  ) {}

  async run(op: OpEvent['op'], sql: string, values: (string | number)[], id = ++this.id, of?: string): Promise<SqlOutcome> {
    this.recorder.record<OpEvent>({ kind: 'op', path: this.path, op, id, phase: 'invoke', ...(of ? { of } : {}) });
    // A path that cannot even be looked up (the HAProxy node's container is down) gives no session.
    const done = await this.client.viaPath(this.path, sql, values).catch((e: unknown) => classifySqlFailure(e, false));
    if (done.outcome === 'ok') {
      const seen = op === 'read' ? seenOf(done) : undefined;
      this.recorder.record<OpEvent>({
        kind: 'op',
        path: this.path,
        op,
        id,
        phase: 'ok',
        ...(of ? { of } : {}),
        ...(seen !== undefined ? { seen } : {}),
      });
    } else {
      this.recorder.record<OpEvent>({
        kind: 'op',
        path: this.path,
        op,
        id,
        phase: done.outcome,
        error: done.message,
        errorClass: done.errorClass,
        ...(of ? { of } : {}),
      });
    }
    return done;
  }

  nextId(): number {
    return ++this.id;
  }
}

/** The highest sequence number a `SELECT max(seq)` returned (psql gives text, pg a number). */
function seenOf(done: SqlOutcome & { outcome: 'ok' }): number | null {
  const row = done.rows?.[0];
  const value = row ? (row.value ?? row.max) : null;
  return value === null || value === undefined || value === '' ? null : Number(value);
}

const MAX_SEQ = `SELECT max(seq) AS max FROM ${WRITES_TABLE} WHERE run = $1`;

/** A writer on a read-write path: insert row n, then read it back through the same path (read-your-writes). */
function writerLoop(recorder: HistoryRecorder, client: PathClient, run: string, path: EntryPathName): () => Promise<void> {
  const ops = new PathOperations(recorder, client, path);
  const tag = pathRun(run, path);
  let tableReady = false;
  return async () => {
    if (!tableReady) {
      tableReady = (await client.viaPath(path, CREATE_WRITES_TABLE, [])).outcome === 'ok';
      if (!tableReady) return;
    }
    const seq = ops.nextId();
    const wrote = await ops.run(
      'write',
      `INSERT INTO ${WRITES_TABLE} (run, seq, node) VALUES ($1, $2, coalesce(host(inet_server_addr()), 'local'))`,
      [tag, seq],
      seq,
    );
    if (wrote.outcome === 'ok') await ops.run('read', MAX_SEQ, [tag], ops.nextId(), path);
  };
}

/** A reader on the read-only path: the highest row of `of` (a read-write path) a replica shows now. */
function readerLoop(
  recorder: HistoryRecorder,
  client: PathClient,
  run: string,
  path: EntryPathName,
  of: EntryPathName,
): () => Promise<void> {
  const ops = new PathOperations(recorder, client, path);
  return async () => {
    await ops.run('read', MAX_SEQ, [pathRun(run, of)], undefined, of);
  };
}

export class Workload {
  private readonly loops: BackgroundLoop[] = [];

  /** Clients on `paths`; the reader reads the rows of the first read-write path. Nothing runs when the client has no paths. */
  constructor(
    recorder: HistoryRecorder,
    client: Pick<LabClient, 'viaPath' | 'haproxyUp'>,
    run: string,
    paths: readonly PathSpec[],
  ) {
    const { viaPath, haproxyUp } = client;
    if (!viaPath) return;
    const pathClient: PathClient = { viaPath };
    const firstWriter = paths.find((p) => p.mode === 'read-write')?.name;
    for (const p of paths) {
      if (p.mode === 'read-write')
        this.loops.push(new BackgroundLoop(OP_PERIOD_MS, writerLoop(recorder, pathClient, run, p.name), recorder.clock));
      else if (firstWriter)
        this.loops.push(
          new BackgroundLoop(OP_PERIOD_MS, readerLoop(recorder, pathClient, run, p.name, firstWriter), recorder.clock),
        );
    }
    if (haproxyUp) {
      let last = '';
      this.loops.push(
        new BackgroundLoop(
          HAPROXY_PERIOD_MS,
          async () => {
            const up = await haproxyUp();
            const key = JSON.stringify(up);
            if (key === last) return;
            last = key;
            recorder.record<HaproxyEvent>({ kind: 'haproxy', readWrite: up.readWrite, readOnly: up.readOnly });
          },
          recorder.clock,
        ),
      );
    }
  }

  start(): void {
    for (const loop of this.loops) loop.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }
}
