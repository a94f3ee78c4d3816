/**
 * A simulated three-node cluster for the engine's unit tests, timed by a FakeClock: a Provider whose
 * crash() and start() act on it and a LabClient that samples it and writes to it. Its Patroni is a
 * caricature keeping the timings a scenario observes: `promoteAfterMs` after the leader's node
 * crashes, the first surviving replica (by name) is promoted on the next timeline; a node started
 * streams from the leader `rejoinAfterMs` later (at first, the lab is healthy after that long). Nothing here touches the network: the
 * provider has no endpoints to dial.
 */
import type { Journal, JournalEntry, NewEntry } from '../../lab/labdir/fault-journal.js';
import { healthProblems } from '../../lab/cluster/health.js';
import type { NodeSample } from '../../lab/cluster/probe.js';
import type { LabClient } from '../../lab/scenarios/client/lab-client.js';
import type {
  BootMarker,
  DoctorCheck,
  DownResult,
  EntryEndpoints,
  ExecResult,
  HostFootprint,
  NodeEndpoints,
  Provider,
  UpResult,
} from '../../lab/providers/provider.js';
import { parseSpec } from '../../lab/spec/parse.js';
import type { LabSpec } from '../../lab/spec/schema.js';
import { FakeClock } from '../fake-clock.js';

type Role = 'primary' | 'replica' | 'starting' | 'down';

interface SimNode {
  name: string;
  role: Role;
  timeline: number;
  boots: number;
  /** When the node was last started (for `starting` nodes). */
  startedAt: number;
}

export interface SimTimings {
  promoteAfterMs: number;
  rejoinAfterMs: number;
}

/** Patroni timings as scenario-lab.yaml tunes them (ttl 20, loop_wait 2), so bounds read as in the shipped scenarios. */
export const SPEC: LabSpec = parseSpec(
  [
    'name: sim',
    'provider: docker',
    'network:',
    '  subnet: 10.99.0.0/24',
    'patroni:',
    '  ttl: 20',
    '  loopWait: 2',
    '  retryTimeout: 5',
  ].join('\n'),
).spec;

export class SimCluster {
  readonly nodes: SimNode[];
  /** The rows committed on the primary, per run; a promoted replica has them all (no loss simulated). */
  private readonly rows = new Map<string, number[]>();
  private leaderLostAt: number | undefined;

  constructor(
    readonly clock: FakeClock,
    readonly timings: SimTimings = { promoteAfterMs: 21_000, rejoinAfterMs: 4_000 },
    names: readonly string[] = SPEC.nodes.map((n) => n.name),
  ) {
    // As a lab just up: the first node leads, the others start streaming from it rejoinAfterMs later.
    this.nodes = names.map((name, i) => ({ name, role: i === 0 ? 'primary' : 'starting', timeline: 1, boots: 1, startedAt: 0 }));
  }

  node(name: string): SimNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name} in the simulated cluster`);
    return node;
  }

  primary(): SimNode | undefined {
    return this.nodes.find((n) => n.role === 'primary');
  }

  crash(name: string): void {
    const node = this.node(name);
    if (node.role === 'primary') this.leaderLostAt = this.clock.now();
    node.role = 'down';
  }

  start(name: string): void {
    const node = this.node(name);
    if (node.role !== 'down') return;
    Object.assign(node, { role: 'starting', boots: node.boots + 1, startedAt: this.clock.now() });
  }

  /** Applies what the simulated Patroni would have done by now. */
  private advance(): void {
    const now = this.clock.now();
    if (!this.primary() && this.leaderLostAt !== undefined && now >= this.leaderLostAt + this.timings.promoteAfterMs) {
      const candidate = this.nodes.find((n) => n.role === 'replica');
      if (candidate) {
        const timeline = Math.max(...this.nodes.map((n) => n.timeline)) + 1;
        candidate.role = 'primary';
        for (const n of this.nodes) if (n.role === 'primary' || n.role === 'replica') n.timeline = timeline;
        this.leaderLostAt = undefined;
      }
    }
    const primary = this.primary();
    for (const n of this.nodes) {
      if (n.role === 'starting' && primary && now >= n.startedAt + this.timings.rejoinAfterMs)
        Object.assign(n, { role: 'replica', timeline: primary.timeline });
    }
  }

  sample(name: string): NodeSample {
    this.advance();
    const node = this.node(name);
    const primary = this.primary();
    const seen = { leader: primary?.name ?? null, syncStandbys: [] };
    switch (node.role) {
      case 'down':
        return { node: name, reachable: false, role: null, state: null, timeline: null, lag: null, pg: 'down', etcd: false };
      case 'starting':
        return {
          node: name,
          reachable: true,
          role: 'replica',
          state: 'starting',
          timeline: null,
          lag: null,
          ...seen,
          pg: 'down',
          etcd: true,
        };
      case 'replica':
        return {
          node: name,
          reachable: true,
          role: 'replica',
          state: 'streaming',
          timeline: node.timeline,
          lag: 0,
          ...seen,
          pg: 'replica',
          etcd: true,
        };
      case 'primary': {
        const streaming = this.nodes.filter((n) => n.role === 'replica').map((n) => n.name);
        return {
          node: name,
          reachable: true,
          role: 'primary',
          state: 'running',
          timeline: node.timeline,
          lag: null,
          ...seen,
          pg: 'primary',
          streaming,
          etcd: true,
        };
      }
    }
  }

  /** Commits the row when `name` is the primary; otherwise the server refuses the session. */
  insert(name: string, run: string, seq: number): boolean {
    if (this.node(name).role !== 'primary') return false;
    this.rows.set(run, [...(this.rows.get(run) ?? []), seq]);
    return true;
  }

  rowsOf(run: string): number[] {
    return [...(this.rows.get(run) ?? [])].sort((a, b) => a - b);
  }
}

/** The simulated cluster's machines: what the engine and the faults ask of a Provider. */
export class SimProvider implements Provider {
  readonly kind = 'docker' as const;
  readonly nodeMemoryMib = 0;
  /** Every crash/start asked for, in order ("crash node1"). */
  readonly calls: string[] = [];

  constructor(private readonly cluster: SimCluster) {}

  async doctor(): Promise<DoctorCheck[]> {
    return [];
  }

  async hostFootprint(): Promise<HostFootprint> {
    return { interfaces: [], runningNodes: await this.running() };
  }

  async up(): Promise<UpResult> {
    throw new Error('the simulated lab is always up');
  }

  async down(): Promise<DownResult> {
    throw new Error('the simulated lab cannot be removed');
  }

  /** Runs nothing: every command "succeeds" with no output (an empty Patroni journal). */
  async exec(node: string): Promise<ExecResult> {
    if (this.cluster.node(node).role === 'down') throw new Error(`${node} is not running`);
    return { exitCode: 0, stdout: '', stderr: '' };
  }

  async endpoints(node: string): Promise<NodeEndpoints> {
    throw new Error(`${node} is simulated: it has no endpoints, and nothing may dial it`);
  }

  async entryEndpoints(): Promise<EntryEndpoints> {
    throw new Error('the simulated lab has no HAProxy node');
  }

  async runningEntry(): Promise<null> {
    return null;
  }

  async running(): Promise<string[]> {
    return this.cluster.nodes.filter((n) => n.role !== 'down').map((n) => n.name);
  }

  async crash(node: string): Promise<void> {
    this.calls.push(`crash ${node}`);
    this.cluster.crash(node);
  }

  async start(node: string): Promise<void> {
    this.calls.push(`start ${node}`);
    this.cluster.start(node);
  }

  async bootMarker(node: string): Promise<BootMarker> {
    return { node, marker: `boot ${this.cluster.node(node).boots}` };
  }

  async shell(): Promise<number> {
    throw new Error('the simulated lab has no shell');
  }

  async pause(): Promise<void> {
    throw new Error('the simulated lab does not pause nodes');
  }

  async resume(): Promise<void> {
    throw new Error('the simulated lab does not pause nodes');
  }

  async paused(): Promise<boolean> {
    return false;
  }
}

/** The LabClient over the simulated cluster: samples and SQL answered from its state at the clock's time. */
export function simClient(cluster: SimCluster): LabClient {
  return {
    sample: async (node) => cluster.sample(node),
    async writer(node) {
      if (cluster.node(node).role === 'down') throw new Error(`${node}: no route to its PostgreSQL`);
      return async (run, seq) =>
        cluster.insert(node, run, seq)
          ? { outcome: 'ok' }
          : { outcome: 'fail', errorClass: 'refused', message: `${node}: connection refused` };
    },
    async readBack(node, run) {
      if (cluster.node(node).role !== 'primary') throw new Error(`${node} is not the primary`);
      return cluster.rowsOf(run);
    },
    /** The simulation has no etcd of its own: its raft leader is the first node still up. */
    async etcdLeader() {
      const up = cluster.nodes.find((n) => n.role !== 'down');
      if (!up) throw new Error('no etcd member is up');
      return up.name;
    },
    async health() {
      const names = cluster.nodes.map((n) => n.name);
      const { problems } = healthProblems({
        nodes: names,
        samples: new Map(names.map((n) => [n, cluster.sample(n)])),
        synchronousMode: false,
      });
      return { healthy: problems.length === 0, problems };
    },
  };
}

/**
 * The fault journal in memory: the file journal's own behaviour is tested in test/labdir; here its real
 * I/O would let simulated time run on while the engine waits for the disk.
 */
export class MemoryJournal implements Journal {
  readonly dir = '/sim/lab';
  readonly file = '/sim/lab/faults.json';
  private list: JournalEntry[] = [];
  private next = 0;

  async entries(): Promise<JournalEntry[]> {
    return [...this.list];
  }

  async add(entry: NewEntry): Promise<JournalEntry> {
    const full: JournalEntry = { id: `e${++this.next}`, at: new Date(0).toISOString(), ...entry };
    this.list.push(full);
    return full;
  }

  async remove(id: string): Promise<void> {
    this.list = this.list.filter((e) => e.id !== id);
  }
}

/** A simulated lab ready for runScenario: its clock, cluster, provider, client and fault journal. */
export function simLab(timings?: SimTimings) {
  const clock = new FakeClock();
  const cluster = new SimCluster(clock, timings);
  const journal = new MemoryJournal();
  return { clock, cluster, provider: new SimProvider(cluster), client: simClient(cluster), journal };
}
