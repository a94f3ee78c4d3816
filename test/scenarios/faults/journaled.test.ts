import t from 'tap';
import { FakeClock } from '../../fake-clock.js';
import { ConnectionLostError, ExitCode } from '../../../lab/errors.js';
import { FaultJournal } from '../../../lab/labdir/fault-journal.js';
import type { LabAccess } from '../../../lab/cluster/access.js';
import { FAULTS, type FaultContext } from '../../../lab/scenarios/faults/registry.js';
import {
  describeEntry,
  healCommandLine,
  healEntry,
  healJournaled,
  liveEntries,
  refuseOverJournaledFaults,
} from '../../../lab/scenarios/faults/journaled.js';
import type { LabSpec } from '../../../lab/spec/schema.js';
import { tempDir } from '../../helpers.js';
import { fakeNodes, fakeProvider } from '../fake-node.js';

const spec = { nodes: ['node1', 'node2', 'node3'].map((name, i) => ({ name, ip: `10.0.0.${11 + i}` })) } as unknown as LabSpec;
/** A run that is over: its process is gone. */
const deadRun = { id: 'r-dead', scenario: 'partition', pid: 2 ** 22 + 1 };
/** A run that still goes: the tap runner that started this test. */
const liveRun = { id: 'r-live', scenario: 'failover', pid: process.ppid };

t.test('healCommandLine: ready to paste, quoted when it must be', async (t) => {
  t.equal(healCommandLine('/work/labs/h3lab'), 'lab heal -d /work/labs/h3lab');
  t.equal(healCommandLine("/tmp/my lab's"), "lab heal -d '/tmp/my lab'\\''s'");
});

t.test('describeEntry: the fault as the step named it, where, and by which run', async (t) => {
  const entry = {
    id: 'a',
    fault: 'stop-service',
    service: 'etcd',
    node: 'node2',
    record: { unit: 'etcd' },
    at: '2026-11-26T12:00:00.000Z',
    run: deadRun,
  };
  t.equal(
    describeEntry(entry),
    `stop-service etcd on node2 (scenario partition, run r-dead, pid ${deadRun.pid}, since 2026-11-26T12:00:00.000Z)`,
  );
});

t.test('liveEntries: only the runs whose process still runs', async (t) => {
  const at = '2026-11-26T12:00:00.000Z';
  const entries = [
    { id: 'a', fault: 'partition', node: 'node1', record: {}, at, run: deadRun },
    { id: 'b', fault: 'partition', node: 'node1', record: {}, at, run: liveRun },
  ];
  t.same(
    liveEntries(entries).map((e) => e.id),
    ['b'],
  );
});

t.test('a scenario refuses to start over a journaled fault, naming it and the command that heals it', async (t) => {
  const dir = await tempDir(t);
  const journal = new FaultJournal(dir);
  await refuseOverJournaledFaults(journal, 'scenario x not started');
  await journal.add({ fault: 'partition', node: 'node1', record: { peers: ['10.0.0.12'] }, run: deadRun });
  const e = await refuseOverJournaledFaults(journal, 'scenario x not started').catch(
    (e: unknown) => e as { message: string; hint: string; exitCode: number },
  );
  t.match(e, {
    exitCode: ExitCode.infrastructure,
    message: /scenario x not started: 1 fault\(s\) left in force.*\n  - partition on node1 \(scenario partition, run r-dead/,
    hint: `run \`lab heal -d ${dir}\``,
  });
});

t.test('... and says so when the run that journaled it is still going', async (t) => {
  const journal = new FaultJournal(await tempDir(t));
  await journal.add({ fault: 'partition', node: 'node1', record: { peers: ['10.0.0.12'] }, run: liveRun });
  await t.rejects(refuseOverJournaledFaults(journal, 'scenario x not started'), {
    exitCode: ExitCode.infrastructure,
    message: /another scenario is running on this lab \(failover, run r-live/,
  });
});

t.test('healJournaled: newest first, each healed entry forgotten, a failed one kept', async (t) => {
  const nodes = fakeNodes(['node1', 'node2', 'node3']);
  const log: string[] = [];
  const provider = fakeProvider(nodes, log);
  const ctx: FaultContext = {
    provider,
    spec,
    access: { markStale: () => undefined } as unknown as LabAccess,
    clock: new FakeClock(),
  };
  const journal = new FaultJournal(await tempDir(t));
  for (const [fault, node] of [
    ['stop-service', 'node2'],
    ['partition', 'node1'],
    ['partition', 'node3'],
  ] as const) {
    const request = { node, ...(fault === 'stop-service' ? { service: 'etcd' as const } : {}) };
    const record = await FAULTS[fault]!.undo!.record(ctx, request);
    await journal.add({ fault, node, record: record as Record<string, unknown>, run: deadRun });
    await FAULTS[fault]!.inject(ctx, request, record);
  }
  await provider.crash('node3'); // its heal cannot run
  log.length = 0;
  const outcomes = await healJournaled(journal, { provider });
  t.same(
    outcomes.map((o) => [o.entry.fault, o.entry.node, o.ok]),
    [
      ['partition', 'node3', false],
      ['partition', 'node1', true],
      ['stop-service', 'node2', true],
    ],
  );
  t.match(log, [/^node1: sh -c .*iptables -X LAB-PARTITION/, 'node2: systemctl start etcd']);
  t.same(
    (await journal.entries()).map((e) => e.node),
    ['node3'],
    'only the fault that did not heal is still journaled',
  );
  t.equal(nodes.get('node1')!.chain, false);
  t.equal(nodes.get('node2')!.units.etcd, 'active');
});

t.test("healJournaled refuses a live run's faults unless forced", async (t) => {
  const provider = fakeProvider(fakeNodes(['node1', 'node2', 'node3']));
  const journal = new FaultJournal(await tempDir(t));
  await journal.add({ fault: 'crash-node', node: 'node1', record: {}, run: liveRun });
  await t.rejects(healJournaled(journal, { provider }), /not healing: another scenario is running/);
  t.equal((await journal.entries()).length, 1, 'left alone');
  const outcomes = await healJournaled(journal, { provider }, { force: true });
  t.match(outcomes, [{ ok: true, detail: 'already running' }]);
  t.same(await journal.entries(), []);
});

t.test('a heal whose link to the node dropped under it is sent once more; other failures are not', async (t) => {
  const nodes = fakeNodes(['node1', 'node2', 'node3']);
  const provider = fakeProvider(nodes);
  const ctx: FaultContext = {
    provider,
    spec,
    access: { markStale: () => undefined } as unknown as LabAccess,
    clock: new FakeClock(),
  };
  const request = { node: 'node2', service: 'etcd' as const };
  const record = await FAULTS['stop-service']!.undo!.record(ctx, request);
  await FAULTS['stop-service']!.inject(ctx, request, record);
  const entry = {
    id: 'e1',
    fault: 'stop-service',
    node: 'node2',
    service: 'etcd' as const,
    record: record as Record<string, unknown>,
    run: deadRun,
    at: '2026-11-27T00:00:00.000Z',
  };
  const failing = (error: () => Error, times: number) => {
    let left = times;
    return {
      ...provider,
      exec: async (...args: Parameters<typeof provider.exec>) => (left-- > 0 ? Promise.reject(error()) : provider.exec(...args)),
    };
  };
  const lost = () => new ConnectionLostError('node2: the ssh connection closed while `systemctl start etcd` ran');
  const again = await healEntry({ provider: failing(lost, 1) }, entry);
  t.ok(again.ok, `healed on the second sending: ${again.detail}`);
  t.equal(nodes.get('node2')!.units.etcd, 'active');
  t.match(
    await healEntry({ provider: failing(lost, 2) }, entry),
    { ok: false, detail: /ssh connection closed/ },
    'once more only',
  );
  t.match(
    await healEntry({ provider: failing(() => new Error('sudo: a password is required'), 1) }, entry),
    { ok: false, detail: /password/ },
    'any other failure is reported at once',
  );
});
