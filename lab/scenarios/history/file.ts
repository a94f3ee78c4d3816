/**
 * A History on disk as JSON lines, for runs too long to hold in memory (`lab chaos --duration 2h`):
 * the first line is the meta, then one event a line, appended as they are recorded. Reading it back
 * keeps every event except the sampler's repeats: of a stretch of samples in which a node showed the
 * same state, the first and the last are kept, which is all that the checks, the figures and the
 * pictures read of samples (when a node's state changed, and for how long it held).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ExitCode, LabError } from '../../errors.js';
import type { History, HistoryEvent, HistoryMeta, SampleEvent } from './history.js';

export class HistoryFileWriter {
  private readonly out: WriteStream;
  private failure: Error | undefined;
  /** Bytes appended so far. */
  bytes = 0;
  events = 0;

  constructor(
    readonly file: string,
    meta: HistoryMeta,
  ) {
    this.out = createWriteStream(file, { flags: 'w' });
    this.out.on('error', (e) => (this.failure ??= e));
    this.append({ meta });
  }

  private append(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.bytes += Buffer.byteLength(line);
    this.out.write(line);
  }

  /** Appends one event; a write error is kept and thrown by close(), so recording never stops on it. */
  write(event: HistoryEvent): void {
    this.events++;
    this.append(event);
  }

  async close(): Promise<void> {
    this.out.end();
    if (!this.out.writableFinished && !this.failure) await once(this.out, 'finish').catch(() => undefined);
    if (this.failure) throw this.failure;
  }
}

/** The state of a node a sample shows: everything but the time and the replication lag, which moves all the time. */
function stateKey(s: SampleEvent): string {
  const { t: _t, lag: _lag, ...state } = s;
  return JSON.stringify(state);
}

/** Keeps the first and the last sample of each stretch in which a node showed one state; other events pass. Pure. */
export class SampleCompactor {
  private readonly stretch = new Map<string, { key: string; last?: SampleEvent }>();

  /** The events to keep now, given the next one in order. */
  push(e: HistoryEvent): HistoryEvent[] {
    if (e.kind !== 'sample') return [e];
    const key = stateKey(e);
    const open = this.stretch.get(e.node);
    if (open?.key === key) {
      open.last = e;
      return [];
    }
    this.stretch.set(e.node, { key });
    return open?.last ? [open.last, e] : [e];
  }

  /** The last samples of the stretches still open. */
  flush(): HistoryEvent[] {
    const rest = [...this.stretch.values()].flatMap((s) => (s.last ? [s.last] : []));
    this.stretch.clear();
    return rest;
  }
}

/** Reads a History written by HistoryFileWriter, with the sampler's repeats left out; events sorted by time. */
export async function readHistoryFile(file: string): Promise<History> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let meta: HistoryMeta | undefined;
  const events: HistoryEvent[] = [];
  const compactor = new SampleCompactor();
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line) continue;
    let value: { meta?: HistoryMeta } & HistoryEvent;
    try {
      value = JSON.parse(line) as typeof value;
    } catch (e) {
      throw badHistory(
        `${file}:${n} is not a JSON line of a History (truncated, or written by two runs at once?): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!meta) {
      if (!isMeta(value.meta)) throw badHistory(`${file}:${n}: the first line is not a History's meta`);
      meta = value.meta;
      continue;
    }
    if (!isEvent(value)) throw badHistory(`${file}:${n}: not a History event (an object with a kind and a time t)`);
    events.push(...compactor.push(value));
  }
  if (!meta) throw badHistory(`${file} is empty`);
  events.push(...compactor.flush());
  // Loops record concurrently and Patroni's log lines are appended after the run: one order, by time.
  return { meta, events: events.sort((a, b) => a.t - b.t) };
}

const HINT = 'lab check reads what `lab chaos --history` streams and what `lab scenario --json` writes';

const badHistory = (message: string): LabError => new LabError(message, ExitCode.badInput, HINT);

const isMeta = (v: unknown): v is HistoryMeta =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as HistoryMeta).nodes) &&
  typeof (v as HistoryMeta).scenario === 'string';

const isEvent = (v: unknown): v is HistoryEvent =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as HistoryEvent).kind === 'string' &&
  typeof (v as HistoryEvent).t === 'number';

/** A History saved by a run, and the checks that run named. */
export interface SavedHistory {
  history: History;
  /** The checks of a `--json` report; none for a streamed History. */
  checks: string[];
}

/** The 1-based line of a JSON.parse error's position in `text`, when the message gives one. */
function lineOf(text: string, error: unknown): number | undefined {
  const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
}

/**
 * A saved History, either shape: the JSON lines `lab chaos --history` streams (first line the meta),
 * or the `--json` report of `lab scenario` (one document with `history` and `checks`). Bad input
 * (malformed, truncated, not a History) is a LabError with exit 3 naming the file and line.
 */
export async function readSavedHistory(file: string): Promise<SavedHistory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw badHistory(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const first = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  if (first.startsWith('{"meta"')) return { history: await readHistoryFile(file), checks: [] };
  let report: { history?: History; checks?: { name?: unknown }[] };
  try {
    report = JSON.parse(text) as typeof report;
  } catch (e) {
    const line = lineOf(text, e);
    throw badHistory(`${file}${line ? `:${line}` : ''} is not JSON (truncated?): ${e instanceof Error ? e.message : String(e)}`);
  }
  const history = report.history;
  if (!history || !isMeta(history.meta) || !Array.isArray(history.events))
    throw badHistory(
      `${file}: no History in it (neither JSON lines starting with {"meta": nor a report with history.meta and history.events)`,
    );
  const bad = history.events.findIndex((e) => !isEvent(e));
  if (bad !== -1) throw badHistory(`${file}: history.events[${bad}] is not a History event (an object with a kind and a time t)`);
  const checks = (report.checks ?? []).flatMap((c) => (typeof c.name === 'string' ? [c.name] : []));
  return { history, checks };
}
