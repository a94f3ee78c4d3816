import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ExitCode, LabError } from '../../lab/errors.js';
import { saveWorkshop, workshopFromDir, workshopFromFile } from '../../lab/workshop/directory.js';
import { sampleWorkshopYaml } from '../../lab/workshop/sample.js';

t.test('the directory keeps the workshop as brought up: a changed workshop.yaml cannot orphan its seats', async (t) => {
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-workshop-dir-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const file = path.join(work, 'workshop.yaml');
  const dir = path.join(work, 'ws');
  await writeFile(file, sampleWorkshopYaml());
  await t.rejects(
    workshopFromDir(file, dir),
    new LabError(`no workshop in ${dir}`, ExitCode.badInput, 'run `lab workshop up` first, or pass --dir'),
    'nothing brought up yet',
  );
  const { workshop } = await workshopFromFile(file, dir);
  await saveWorkshop(workshop);
  await writeFile(file, 'not: a workshop\n');
  const saved = await workshopFromDir(file, dir);
  t.same(saved, workshop, 'read back whole, whatever workshop.yaml says now');
  t.equal(saved.plan.length, workshop.spec.seats, 'its seats planned again from the saved spec');
});
