/** workshop.yaml: defaults, every bad input named with what is allowed, capacity and pool checked. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { engineSeatCapacity, loadWorkshop, seatLabValue, validateWorkshop } from '../../lab/spec/workshop.js';
import { SpecError } from '../../lab/errors.js';
import { tempDir } from '../helpers.js';

const messages = (input: unknown) => validateWorkshop(input).problems.map((p) => `${p.path}: ${p.message}`);

t.test('an empty workshop.yaml is 3 seats of the default lab on the local engine', async (t) => {
  const { spec, problems } = validateWorkshop({});
  t.same(problems, []);
  t.match(spec, {
    name: 'workshop',
    seats: 3,
    stage: 'full',
    pool: '10.100.0.0/16',
    publishAddress: '127.0.0.1',
    nodesPerSeat: 3,
    engines: [{ name: 'local', memoryMiB: 4096, concurrency: 2 }],
  });
});

t.test('bad input names the field and what is allowed', async (t) => {
  t.match(messages({ stage: 'half' }), [/^stage: expected one of "packages", "etcd", "full", got "half"/]);
  t.match(messages({ name: 'Class 1' }), [/^name: expected lowercase letters, digits and dashes/]);
  t.match(messages({ engines: [{ name: 'x', host: 'http://h', memoryMiB: 4096 }] }), [
    /^engines\[0\]\.host: expected an engine address as DOCKER_HOST writes it/,
  ]);
  t.match(messages({ publishAddress: 'everywhere' }), [/^publishAddress: expected an IPv4 address/]);
  t.match(messages({ seats: 0 }), [/^seats: /]);
  t.match(messages({ colour: 'red' }), [/unknown key; expected one of name, lab, seats/]);
});

t.test("the lab: its name, provider and addresses are the workshop's", async (t) => {
  t.match(messages({ lab: { name: 'x', network: { subnet: '10.0.0.0/24' } } }), [
    "lab.name: a workshop sets each seat's name; remove it",
    'lab.network.subnet: a workshop gives each seat a subnet from pool; remove it',
  ]);
  t.match(messages({ lab: { patroni: { ttl: 5 } } }), [/^lab\.patroni/]);
  t.same(seatLabValue({ network: { firstHost: 21 }, size: 3 }, 'ws-s01', '10.100.1.0/24'), {
    network: { firstHost: 21, subnet: '10.100.1.0/24' },
    size: 3,
    name: 'ws-s01',
    provider: 'docker',
  });
});

t.test('capacity and pool', async (t) => {
  t.equal(engineSeatCapacity({ memoryMiB: 1000 }, 3, 160), 2, 'two seats of 3 x 160 MiB in 1000 MiB');
  t.match(
    messages({
      seats: 7,
      engines: [
        { name: 'a', memoryMiB: 1000 },
        { name: 'b', memoryMiB: 2000 },
      ],
    }),
    [/^seats: the engines hold 6 seat\(s\) of 3 nodes x 160 MiB, fewer than seats: 7/],
  );
  t.match(messages({ seats: 4, pool: '10.100.0.0/23' }), [/^pool: 10.100.0.0\/23 holds 1 seat networks/]);
  t.match(messages({ pool: '10.100.0.0/25' }), [/^pool: expected a range of \/24 or larger/]);
  t.match(
    messages({
      engines: [
        { name: 'a', memoryMiB: 4096 },
        { name: 'a', memoryMiB: 4096 },
      ],
    }),
    ['engines[1].name: a is already the name of engines[0]'],
  );
  t.match(messages({ engines: [{ name: 'a', memoryMiB: 4096, tlsCertPath: 'certs' }] }), [
    'engines[0].tlsCertPath: TLS certificates apply to a tcp:// host only',
  ]);
  t.match(validateWorkshop({ publishAddress: '0.0.0.0' }).warnings, [/exposes every seat's ssh port/]);
});

t.test('loadWorkshop reads the lab.yaml it names and fails as bad input', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'labs'));
  await writeFile(path.join(dir, 'labs/class.yaml'), 'patroni: { ttl: 20, loopWait: 2, retryTimeout: 5 }\n');
  await writeFile(path.join(dir, 'workshop.yaml'), 'name: class\nlab: labs/class.yaml\nseats: 2\n');
  const { spec } = await loadWorkshop(path.join(dir, 'workshop.yaml'));
  t.match(spec, { name: 'class', seats: 2, lab: { patroni: { ttl: 20 } } });
  await writeFile(path.join(dir, 'bad.yaml'), 'seats: many\n');
  await t.rejects(loadWorkshop(path.join(dir, 'bad.yaml')), SpecError);
  await t.rejects(loadWorkshop(path.join(dir, 'absent.yaml')), { message: /absent\.yaml: not found/ });
});
