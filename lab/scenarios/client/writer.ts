/**
 * The writer: sequence-numbered inserts, one at a time, through whichever node accepts writes now.
 * Each is recorded as invoked, then acknowledged (the commit returned), failed (it certainly did not
 * happen) or indeterminate (it may have: the outcome is unknown), with the error's class. The rows
 * are what no-lost-writes later looks for on the final primary.
 */
import type { HistoryRecorder, WriteEvent } from '../history/history.js';
import type { LabClient } from './lab-client.js';
import { BackgroundLoop } from './loop.js';
import { currentLeader, viewSince } from '../history/live.js';

const WRITE_PERIOD_MS = 50;
/** A sample older than this does not tell where to write. */
const STALE_VIEW_MS = 2000;

export class Writer {
  private readonly loop: BackgroundLoop;
  private seq = 0;

  constructor(
    private readonly recorder: HistoryRecorder,
    private readonly client: Pick<LabClient, 'writer'>,
    private readonly run: string,
  ) {
    this.loop = new BackgroundLoop(WRITE_PERIOD_MS, () => this.writeOnce(), recorder.clock);
  }

  private async writeOnce(): Promise<void> {
    const target = currentLeader(viewSince(this.recorder.events, this.recorder.meta.nodes, this.recorder.now() - STALE_VIEW_MS));
    if (!target) return; // nobody accepts writes: a client would have nowhere to send one either
    const insert = await this.client.writer(target.node);
    const seq = ++this.seq;
    this.recorder.record<WriteEvent>({ kind: 'write', seq, phase: 'invoke', node: target.node });
    const done = await insert(this.run, seq);
    if (done.outcome === 'ok') {
      this.recorder.record<WriteEvent>({ kind: 'write', seq, phase: 'ok', node: target.node });
      return;
    }
    this.recorder.record<WriteEvent>({
      kind: 'write',
      seq,
      phase: done.outcome,
      node: target.node,
      error: done.message,
      errorClass: done.errorClass,
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
