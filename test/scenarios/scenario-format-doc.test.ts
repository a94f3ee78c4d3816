/** docs/scenarios.md must list what the engine accepts; UPDATE_DOCS=1 rewrites it. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { scenarioReference } from '../../lab/scenarios/scenario-format-doc.js';
import { ROOT } from '../helpers.js';

const file = path.join(ROOT, 'docs/scenarios.md');
t.test('docs/scenarios.md is up to date', async (t) => {
  if (process.env.UPDATE_DOCS) writeFileSync(file, scenarioReference());
  t.equal(
    readFileSync(file, 'utf8'),
    scenarioReference(),
    'docs/scenarios.md is up to date (UPDATE_DOCS=1 npx tap dist/test/scenarios/scenario-format-doc.test.js)',
  );
});
