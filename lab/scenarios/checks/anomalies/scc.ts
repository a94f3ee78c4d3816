/**
 * Tarjan's strongly connected components, iterative (a History's graph is too deep for recursion),
 * over the nodes `members` lets in and the edges whose kind is in `mask`. Only components that
 * hold a cycle (two or more transactions: the graph has no self-edges) are returned. Pure.
 */
import type { DepGraph } from './graph.js';

export function stronglyConnected(
  graph: DepGraph,
  nodes: Iterable<number>,
  members: (n: number) => boolean,
  mask: number,
): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame: a node and how far through its edges the walk is.
    const frames: [number, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, i] = frame;
      const to = graph.to[v]!;
      if (i < to.length) {
        frame[1]++;
        const w = to[i]!;
        if (!(graph.kind[v]![i]! & mask) || !members(w)) continue;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          frames.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) !== index.get(v)) continue;
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component);
    }
  }
  return components;
}
