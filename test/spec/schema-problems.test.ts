/** The describer: every string of a given form says in plain words what is allowed. */
import { Type } from '@sinclair/typebox';
import t from 'tap';
import { CHECKS } from '../../lab/scenarios/checks/index.js';
import { LabSpecSchema } from '../../lab/spec/schema.js';
import { schemaProblems } from '../../lab/spec/schema-problems.js';

/** Paths of the string schemas under `node` that carry a pattern but no `allowed` phrase. */
function withoutAllowed(node: unknown, at: string): string[] {
  if (!node || typeof node !== 'object') return [];
  const n = node as Record<string, unknown>;
  const own = typeof n.pattern === 'string' && typeof n.allowed !== 'string' ? [at] : [];
  return [...own, ...Object.entries(n).flatMap(([key, child]) => withoutAllowed(child, `${at}/${key}`))];
}

t.test('every pattern in lab.yaml and in the check parameters has an allowed phrase', async (t) => {
  t.same(withoutAllowed(LabSpecSchema, ''), []);
  for (const [name, check] of Object.entries(CHECKS)) t.same(withoutAllowed(check.params, ''), [], `check ${name}`);
  t.same(
    withoutAllowed(Type.Object({ a: Type.String({ pattern: '^x$' }) }), ''),
    ['/properties/a'],
    'the walk finds a bare pattern',
  );
});

t.test('a string of a given form: the allowed phrase, never the description', async (t) => {
  const schema = Type.Object({
    dir: Type.String({ pattern: '^/', allowed: 'an absolute path', description: 'ETCD_DATA_DIR' }),
    raw: Type.String({ pattern: '^x$' }),
  });
  t.same(schemaProblems(schema, { dir: '../etc', raw: 'y' }), [
    { path: 'dir', message: 'expected an absolute path, got "../etc"' },
    { path: 'raw', message: 'expected a string matching ^x$, got "y"' },
  ]);
  t.same(
    schemaProblems(schema, { dir: 7, raw: 'x' }),
    [{ path: 'dir', message: 'expected string, got 7' }],
    'a value of the wrong type says so',
  );
});
