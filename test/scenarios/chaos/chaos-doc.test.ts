/** docs/chaos.md must list the faults the schedule draws from; UPDATE_DOCS=1 rewrites it. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { chaosReference } from '../../../lab/scenarios/chaos/chaos-doc.js';
import { FAULTS } from '../../../lab/scenarios/faults/registry.js';
import { ROOT } from '../../helpers.js';

const file = path.join(ROOT, 'docs/chaos.md');
t.test('docs/chaos.md is up to date and lists every chaos fault', async (t) => {
  if (process.env.UPDATE_DOCS) writeFileSync(file, chaosReference());
  t.equal(
    readFileSync(file, 'utf8'),
    chaosReference(),
    'docs/chaos.md is up to date (UPDATE_DOCS=1 npx tap dist/test/scenarios/chaos/chaos-doc.test.js)',
  );
  for (const f of Object.values(FAULTS).filter((f) => f.chaos))
    t.match(chaosReference(), `| \`${f.name}\` |`, `${f.name} is listed`);
});
