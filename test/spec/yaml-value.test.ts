import { parseDocument } from 'yaml';
import t from 'tap';
import { MAX_YAML_ALIASES, yamlValue } from '../../lab/spec/yaml-value.js';

t.test('a document with a few aliases gives its plain value, the aliases expanded', async (t) => {
  t.same(yamlValue(parseDocument('a: &x [1, 2]\nb: *x')), { value: { a: [1, 2], b: [1, 2] } });
  t.same(yamlValue(parseDocument('')), { value: null }, 'an empty document is null (lab.yaml reads it as all defaults)');
});

t.test(`nested aliases past ${MAX_YAML_ALIASES} expansions are refused as a billion laughs`, async (t) => {
  const tens = (name: string, item: string) => `${name}: &${name} [${Array(10).fill(item).join(', ')}]`;
  const laughs = [tens('a', '1'), tens('b', '*a'), tens('c', '*b'), `d: [${Array(10).fill('*c').join(', ')}]`].join('\n');
  const read = yamlValue(parseDocument(laughs));
  t.ok('problem' in read, 'no value');
  if ('problem' in read) t.match(read.problem, /too many YAML aliases \(more than 100 expansions/);
  const fewer = [tens('a', '1'), tens('b', '*a')].join('\n');
  t.ok('value' in yamlValue(parseDocument(fewer)), 'ten aliases of ten are fine');
});

t.test('an alias used before its anchor is not valid YAML, on one line', async (t) => {
  t.same(yamlValue(parseDocument('b: *later\na: &later 1')), {
    problem: 'not valid YAML: Unresolved alias (the anchor must be set before the alias): later',
  });
});
