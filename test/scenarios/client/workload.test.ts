/** Which entry-point clients a run starts: the lab's paths, narrowed by the scenario's `clients:`. */
import t from 'tap';
import { ExitCode, LabError } from '../../../lab/errors.js';
import { chosenPaths, type PathSpec } from '../../../lab/scenarios/client/workload.js';

const LAB: PathSpec[] = [
  { name: 'haproxy-rw', mode: 'read-write' },
  { name: 'haproxy-ro', mode: 'read-only' },
  { name: 'libpq', mode: 'read-write' },
];

t.test('no clients: section: every path the lab has, in its order', async (t) => {
  t.same(chosenPaths(LAB, undefined, 's'), LAB);
  t.same(chosenPaths([], undefined, 's'), [], 'a lab without entry points runs none');
});

t.test('a list narrows its mode only; [] runs none of it, and no writer means no reader', async (t) => {
  t.same(
    chosenPaths(LAB, { writers: ['libpq'] }, 's').map((p) => p.name),
    ['haproxy-ro', 'libpq'],
  );
  t.same(
    chosenPaths(LAB, { readers: [] }, 's').map((p) => p.name),
    ['haproxy-rw', 'libpq'],
  );
  t.same(chosenPaths(LAB, { writers: [] }, 's'), []);
});

t.test("a path the lab does not configure: exit 3 before anything runs, naming the field and the lab's paths", async (t) => {
  const err = t.throws(() => chosenPaths(LAB, { writers: ['pgbouncer', 'libpq'] }, 'failover')) as LabError;
  t.ok(err instanceof LabError);
  t.equal(err.exitCode, ExitCode.badInput);
  t.equal(
    err.message,
    "scenario failover: clients.writers names pgbouncer, which this lab's entry: section does not configure (its read-write paths: haproxy-rw, libpq)",
  );
  t.throws(
    () => chosenPaths([], { readers: ['haproxy-ro'] }, 's'),
    /clients\.readers names haproxy-ro.*\(its read-only paths: none\)/,
  );
});
