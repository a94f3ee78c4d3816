/**
 * The sampler: every ~250 ms, one independent loop per node asks its Patroni (/patroni, /cluster),
 * its PostgreSQL (pg_is_in_recovery) and its etcd member (/health), and records one SampleEvent.
 * A node that does not answer is recorded as such: silence is an observation too.
 */
import type { HistoryRecorder, SampleEvent } from './history.js';
import type { LabAccess } from './access.js';
import { BackgroundLoop } from './loop.js';

export const SAMPLE_PERIOD_MS = 250;

async function etcdHealthy(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const response = await fetch(`http://${host}:${port}/health`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await response.json()) as { health?: unknown };
  return body.health === true || body.health === 'true';
}

/** Probes one node; never throws (each part that fails leaves its fields empty). */
async function probeNode(access: LabAccess, node: string, timeoutMs: number): Promise<Omit<SampleEvent, 't' | 'kind'>> {
  const empty: Omit<SampleEvent, 't' | 'kind'> = { node, reachable: false, role: null, state: null, timeline: null, lag: null, pg: 'down', etcd: false };
  let endpoints;
  try {
    endpoints = await access.endpoints(node);
  } catch {
    access.markStale(node);
    return empty;
  }
  const patroni = await access.patroni(node);
  const sql = await access.sql(node);
  const [status, cluster, pgRole, etcd] = await Promise.allSettled([
    patroni.status(),
    patroni.cluster(),
    sql.role(),
    etcdHealthy(endpoints.etcd.host, endpoints.etcd.port, timeoutMs),
  ]);
  if (status.status === 'rejected' && pgRole.status === 'rejected') access.markStale(node);
  const sample = { ...empty };
  if (status.status === 'fulfilled') Object.assign(sample, { reachable: true, role: status.value.role, state: status.value.state, timeline: status.value.timeline });
  if (cluster.status === 'fulfilled') {
    sample.leader = cluster.value.leader;
    sample.syncStandbys = cluster.value.members.filter((m) => m.syncStandby).map((m) => m.name);
    sample.lag = cluster.value.members.find((m) => m.name === node)?.lag ?? null;
  }
  if (pgRole.status === 'fulfilled') {
    sample.pg = pgRole.value.role;
    if (pgRole.value.role === 'primary') sample.streaming = pgRole.value.streaming;
  }
  sample.etcd = etcd.status === 'fulfilled' && etcd.value;
  return sample;
}

export class Sampler {
  private readonly loops: BackgroundLoop[];

  constructor(recorder: HistoryRecorder, access: LabAccess, nodes: readonly string[], timeoutMs = 1000) {
    this.loops = nodes.map(
      (node) => new BackgroundLoop(SAMPLE_PERIOD_MS, async () => void recorder.record<SampleEvent>({ kind: 'sample', ...(await probeNode(access, node, timeoutMs)) })),
    );
  }

  start(): void {
    for (const loop of this.loops) loop.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
  }
}
