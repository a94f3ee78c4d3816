/** docs/lab-yaml.md must say what the schema says; UPDATE_DOCS=1 rewrites it. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { labYamlReference } from '../../lab/spec/lab-yaml-doc.js';
import { ROOT } from '../helpers.js';

const file = path.join(ROOT, 'docs/lab-yaml.md');
t.test('docs/lab-yaml.md is up to date', async (t) => {
  if (process.env.UPDATE_DOCS) writeFileSync(file, labYamlReference());
  t.equal(
    readFileSync(file, 'utf8'),
    labYamlReference(),
    'docs/lab-yaml.md is up to date (UPDATE_DOCS=1 npx tap dist/test/spec/lab-yaml-doc.test.js)',
  );
});
