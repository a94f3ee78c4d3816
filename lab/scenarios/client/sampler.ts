/**
 * The sampler: every ~250 ms, one independent loop per node takes the node's sample (cluster/probe.ts:
 * the same look `lab up` and `lab status` take) and records it as a SampleEvent.
 */
import type { HistoryRecorder, SampleEvent } from '../history/history.js';
import type { LabClient } from './lab-client.js';
import { BackgroundLoop } from './loop.js';

export const SAMPLE_PERIOD_MS = 250;

export class Sampler {
  private readonly loops: BackgroundLoop[];

  constructor(recorder: HistoryRecorder, client: Pick<LabClient, 'sample'>, nodes: readonly string[]) {
    this.loops = nodes.map(
      (node) =>
        new BackgroundLoop(
          SAMPLE_PERIOD_MS,
          async () => void recorder.record<SampleEvent>({ kind: 'sample', ...(await client.sample(node)) }),
          recorder.clock,
        ),
    );
  }

  start(): void {
    for (const loop of this.loops) loop.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
  }
}
