/**
 * The cycles of the dependency graph, one explained per strongly connected component and named by
 * Adya's classes as Elle names them: G0 (ww edges only), G1c (ww and wr, at least one wr),
 * G-single (exactly one rw anti-dependency), G2-item (more than one). A cycle that needs a process
 * or real-time edge gets that suffix (G-single-realtime). Each component is searched for the
 * weakest class first, so what is reported is what the weakest model forbids. Pure.
 */
import { DATA, type DepGraph, PROCESS, REALTIME, RW, WR, WW } from './graph.js';
import { stronglyConnected } from './scc.js';

export type CycleClass = 'G0' | 'G1c' | 'G-single' | 'G2-item';

export interface Cycle {
  /** The class, with -process or -realtime when an order edge is part of it. */
  name: string;
  base: CycleClass;
  /** Transaction indexes, the first repeated at the end, and the kind (one bit) of each step. */
  txns: number[];
  steps: number[];
}

/** How many anti-dependency edges a G-single search tries per component, so a huge component stays bounded. */
export const G_SINGLE_TRIES = 200;

/** The shortest path from `from` to `to` over members and `mask`'s edges (BFS); null when none. */
function shortestPath(graph: DepGraph, from: number, to: number, members: Set<number>, mask: number): number[] | null {
  const parent = new Map<number, number>([[from, -1]]);
  let frontier = [from];
  while (frontier.length > 0) {
    const nextFrontier: number[] = [];
    for (const v of frontier) {
      const targets = graph.to[v]!;
      for (let i = 0; i < targets.length; i++) {
        const w = targets[i]!;
        if (!(graph.kind[v]![i]! & mask) || !members.has(w) || parent.has(w)) continue;
        parent.set(w, v);
        if (w === to) {
          const path = [w];
          for (let p = v; p !== -1; p = parent.get(p)!) path.unshift(p);
          return path;
        }
        nextFrontier.push(w);
      }
    }
    frontier = nextFrontier;
  }
  return null;
}

/** The weakest kind of edge each step of `txns` can take under `mask`: ww before wr before rw before order edges. */
function stepsOf(graph: DepGraph, txns: number[], mask: number): number[] {
  return txns.slice(1).map((b, i) => {
    const bits = graph.kinds(txns[i]!, b) & mask;
    return bits & -bits;
  });
}

function named(graph: DepGraph, txns: number[], mask: number): Cycle {
  const steps = stepsOf(graph, txns, mask);
  const count = (bit: number) => steps.filter((s) => s === bit).length;
  const base: CycleClass = count(RW) > 1 ? 'G2-item' : count(RW) === 1 ? 'G-single' : count(WR) > 0 ? 'G1c' : 'G0';
  const suffix = count(REALTIME) > 0 ? '-realtime' : count(PROCESS) > 0 ? '-process' : '';
  return { name: `${base}${suffix}`, base, txns, steps };
}

/** A cycle through `component`'s nodes under `mask`, when its edges there make one. */
function cycleUnder(graph: DepGraph, component: number[], mask: number): number[] | null {
  const inside = new Set(component);
  const sub = stronglyConnected(graph, component, (n) => inside.has(n), mask)[0];
  if (!sub) return null;
  const members = new Set(sub);
  const start = sub[0]!;
  // A cycle through start: a shortest path to it from one of its predecessors in the sub-component.
  const targets = graph.to[start]!;
  for (let i = 0; i < targets.length; i++) {
    if (!(graph.kind[start]![i]! & mask) || !members.has(targets[i]!)) continue;
    const back = shortestPath(graph, targets[i]!, start, members, mask);
    if (back) return [start, ...back];
  }
  return null;
}

/** A cycle with exactly one anti-dependency: an rw edge a -> b, then back from b to a without rw. */
function singleAntiDependency(graph: DepGraph, component: number[], order: number): number[] | null {
  const members = new Set(component);
  let tries = 0;
  for (const a of component) {
    const targets = graph.to[a]!;
    for (let i = 0; i < targets.length; i++) {
      const b = targets[i]!;
      if (graph.kind[a]![i] !== RW || !members.has(b)) continue;
      const back = shortestPath(graph, b, a, members, WW | WR | order);
      if (back) return [a, ...back];
      if (++tries >= G_SINGLE_TRIES) return null;
    }
  }
  return null;
}

/** One cycle per strongly connected component of the graph (its data edges and `order`'s). */
export function findCycles(graph: DepGraph, order: number): Cycle[] {
  const all = Array.from({ length: graph.size }, (_, i) => i);
  const cycles: Cycle[] = [];
  for (const component of stronglyConnected(graph, all, () => true, DATA | order)) {
    const orders = order === 0 ? [0] : [0, order];
    const search: [number, (withOrder: number) => number[] | null][] = [
      [WW, (o) => cycleUnder(graph, component, WW | o)],
      [WW | WR, (o) => cycleUnder(graph, component, WW | WR | o)],
      [DATA, (o) => singleAntiDependency(graph, component, o)],
      [DATA, (o) => cycleUnder(graph, component, DATA | o)],
    ];
    let found: Cycle | undefined;
    for (const [mask, find] of search) {
      for (const o of orders) {
        const txns = find(o);
        if (txns) {
          found = named(graph, txns, mask | o);
          break;
        }
      }
      if (found) break;
    }
    if (found) cycles.push(found);
  }
  return cycles;
}
