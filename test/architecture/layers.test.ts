/**
 * Imports go one way: commands → scenarios/report → cluster → providers/labdir/preflight → render/spec,
 * with the plain helpers (errors, clock, net) below everything, and no module reaches itself through its
 * imports (type-only ones included: a cycle means two modules that are one). Read from the sources
 * themselves, so a new upward import or cycle fails here instead of in a review.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ROOT } from '../helpers.js';

/** Higher may import lower or equal; never the other way. */
const RANK: Record<string, number> = {
  'cli.ts': 6,
  'main.ts': 6,
  commands: 6,
  scenarios: 5,
  report: 5,
  workshop: 5,
  cluster: 4,
  providers: 3,
  labdir: 3,
  preflight: 3,
  render: 2,
  spec: 2,
  'errors.ts': 1,
  'clock.ts': 1,
  'net.ts': 1,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** The layer of a file under lab/: its top folder, or the file itself when it sits in lab/. */
function layerOf(file: string): string {
  return path.relative(path.join(ROOT, 'lab'), file).split(path.sep)[0]!;
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm;

t.test('every module of lab/ sits in a known layer', async (t) => {
  for (const file of sources(path.join(ROOT, 'lab')))
    t.ok(layerOf(file) in RANK, `${path.relative(ROOT, file)}: layer ${layerOf(file)} has a rank`);
});

/** The modules of lab/ each module imports (relative imports, as .ts files). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => [
      file,
      [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) =>
        path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')),
      ),
    ]),
  );
}

/**
 * The import cycles: each set of two or more modules that reach one another (a strongly connected
 * component, Tarjan's algorithm), and each module that imports itself; as sorted lists of names.
 */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) cycles.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

const graph = importGraph(sources(path.join(ROOT, 'lab')));

t.test('no module imports a higher layer', async (t) => {
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    for (const target of targets) {
      const to = layerOf(target);
      if ((RANK[to] ?? 0) > (RANK[from] ?? 0))
        upward.push(`${path.relative(ROOT, file)} (${from}) imports ${path.relative(ROOT, target)} (${to})`);
    }
  }
  t.same(upward, [], 'upward imports');
});

t.test('the cycle finder finds direct and transitive cycles, and nothing else', async (t) => {
  const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
  t.same(importCycles(g({ a: ['b'], b: ['a'], c: ['a'] })), [['a', 'b']], 'two modules importing each other');
  t.same(
    importCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['d'] })),
    [['a', 'b', 'c'], ['d']],
    'through a third module, and a module importing itself',
  );
  t.same(importCycles(g({ a: ['b', 'c'], b: ['c'], c: [] })), [], 'a diamond is no cycle');
});

t.test('no modules of lab/ import each other, directly or through others', async (t) => {
  t.same(
    importCycles(graph).map((cycle) => cycle.map((f) => path.relative(ROOT, f)).join(' <-> ')),
    [],
    'import cycles (move what both need into one of them, or below both)',
  );
});
