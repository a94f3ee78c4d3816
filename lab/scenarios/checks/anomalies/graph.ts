/**
 * The dependency graph over transactions (Adya's direct serialization graph, as Elle infers it from
 * list-append reads): T1 -ww-> T2 when T2 appended the value right after T1's in a key's order;
 * T1 -wr-> T2 when T2 read a list ending with T1's append; T1 -rw-> T2 when T1 read a list that
 * T2's append came next after (an anti-dependency). For stronger models, process order (a process's
 * transactions one after another) and real-time order (T1 completed before T2 was invoked). Memory
 * is one adjacency list per transaction with its edges: proportional to the History. Pure.
 */
import type { Txn } from './txns.js';
import { fitsOrder, type VersionOrders } from './versions.js';

export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DATA = WW | WR | RW;

export const EDGE_NAMES: Record<number, string> = {
  [WW]: 'ww',
  [WR]: 'wr',
  [RW]: 'rw',
  [PROCESS]: 'process',
  [REALTIME]: 'realtime',
};

export class DepGraph {
  /** Per transaction index: the targets of its edges, and each edge's kind (one bit) beside it. */
  readonly to: number[][];
  readonly kind: number[][];

  constructor(readonly size: number) {
    this.to = Array.from({ length: size }, () => []);
    this.kind = Array.from({ length: size }, () => []);
  }

  add(from: Txn | undefined, to: Txn | undefined, kind: number): void {
    // An aborted transaction's appends never happened: reading one is G1a, found directly, not an edge.
    if (!from || !to || from === to || from.type === 'fail' || to.type === 'fail') return;
    this.to[from.index]!.push(to.index);
    this.kind[from.index]!.push(kind);
  }

  /** The kinds of the edges from `a` to `b`, as bits. */
  kinds(a: number, b: number): number {
    let bits = 0;
    const to = this.to[a]!;
    for (let i = 0; i < to.length; i++) if (to[i] === b) bits |= this.kind[a]![i]!;
    return bits;
  }
}

export function dependencyGraph(txns: readonly Txn[], orders: VersionOrders, order: number): DepGraph {
  const graph = new DepGraph(txns.length);
  for (const [key, list] of orders.order) {
    const writers = orders.writer.get(key);
    for (let i = 0; i + 1 < list.length; i++) graph.add(writers?.get(list[i]!), writers?.get(list[i + 1]!), WW);
  }
  for (const read of orders.reads) {
    const writers = orders.writer.get(read.key);
    if (read.list.length > 0) graph.add(writers?.get(read.list[read.list.length - 1]!), read.txn, WR);
    if (!fitsOrder(orders, read)) continue;
    const next = orders.order.get(read.key)?.[read.list.length];
    if (next !== undefined) graph.add(read.txn, writers?.get(next), RW);
  }
  const done = txns.filter((t) => t.type === 'ok');
  if (order & PROCESS) processOrder(graph, done);
  if (order & REALTIME) realtimeOrder(graph, done);
  return graph;
}

function processOrder(graph: DepGraph, done: readonly Txn[]): void {
  const last = new Map<number, Txn>();
  for (const t of done) {
    graph.add(last.get(t.process), t, PROCESS);
    last.set(t.process, t);
  }
}

/**
 * Real-time order without its quadratic closure: each transaction gets edges from the frontier, the
 * transactions completed before it was invoked that no later-invoked completed one follows; the
 * rest of the order follows through those (as Elle reduces it).
 */
function realtimeOrder(graph: DepGraph, done: readonly Txn[]): void {
  type Mark = { t: number; txn: Txn; invoke: boolean };
  const marks: Mark[] = done.flatMap((txn) => [
    { t: txn.invokedAt, txn, invoke: true },
    { t: txn.completedAt as number, txn, invoke: false },
  ]);
  // At equal times an invoke goes first: they overlap, so neither precedes the other.
  marks.sort((a, b) => a.t - b.t || Number(b.invoke) - Number(a.invoke));
  const frontier = new Set<Txn>();
  const before: Txn[][] = [];
  for (const m of marks) {
    if (m.invoke) {
      const preds = [...frontier];
      before[m.txn.index] = preds;
      for (const p of preds) graph.add(p, m.txn, REALTIME);
      continue;
    }
    for (const p of before[m.txn.index] ?? []) frontier.delete(p);
    before[m.txn.index] = [];
    frontier.add(m.txn);
  }
}
