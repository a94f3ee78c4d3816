/**
 * Imports go one way: commands → scenarios/report → cluster → providers/labdir/preflight → render/spec,
 * with the plain helpers (errors, clock, net) below everything. Read from the sources themselves, so a
 * new upward import fails here instead of in a review.
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
  for (const file of sources(path.join(ROOT, 'lab'))) t.ok(layerOf(file) in RANK, `${path.relative(ROOT, file)}: layer ${layerOf(file)} has a rank`);
});

t.test('no module imports a higher layer', async (t) => {
  const upward: string[] = [];
  for (const file of sources(path.join(ROOT, 'lab'))) {
    const from = layerOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts'));
      const to = layerOf(target);
      if ((RANK[to] ?? 0) > (RANK[from] ?? 0)) upward.push(`${path.relative(ROOT, file)} (${from}) imports ${m[1]} (${to})`);
    }
  }
  t.same(upward, [], 'upward imports');
});
