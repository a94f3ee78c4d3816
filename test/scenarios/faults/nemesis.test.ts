/** The nemesis on a simulated lab: journaled before applied, healed newest first and forgotten, recorded each time. */
import t from 'tap';
import { LabAccess } from '../../../lab/cluster/access.js';
import { Nemesis } from '../../../lab/scenarios/faults/nemesis.js';
import { HistoryRecorder, type HistoryEvent } from '../../../lab/scenarios/history/history.js';
import { simLab, SPEC } from '../fake-lab.js';

const SECRETS = { superuserPassword: 'x', replicationPassword: 'x', rewindPassword: 'x', restApiPassword: 'x' };

function nemesisOn() {
  const lab = simLab();
  const nodes = SPEC.nodes.map((n) => n.name);
  const timings = { ttl: 30, loopWait: 10, retryTimeout: 10, primaryStartTimeout: 300, safetyMargin: 5 };
  const meta = {
    scenario: 'test',
    lab: SPEC.name,
    provider: 'docker',
    startedAt: new Date(0).toISOString(),
    nodes,
    timings,
    synchronousMode: false,
    samplePeriodMs: 250,
  };
  const recorder = new HistoryRecorder(meta, lab.clock);
  const run = { id: 'r1', scenario: 'test', pid: process.pid };
  const nemesis = new Nemesis({
    recorder,
    journal: lab.journal,
    context: { provider: lab.provider, spec: SPEC, access: new LabAccess(lab.provider, SECRETS), clock: lab.clock },
    run,
  });
  return { lab, recorder, nemesis, run };
}

const kinds = (events: readonly HistoryEvent[]) =>
  events.map((e) => (e.kind === 'fault' || e.kind === 'heal' ? `${e.kind} ${e.fault} ${e.node}` : e.kind));

t.test('a fault is recorded and journaled before it is applied, and stays in force until healed', async (t) => {
  const { lab, recorder, nemesis, run } = nemesisOn();
  const crash = lab.provider.crash.bind(lab.provider);
  const seenAtCrash: string[] = [];
  lab.provider.crash = async (node) => {
    seenAtCrash.push(...(await lab.journal.entries()).map((e) => `${e.fault} ${e.node}`), ...kinds(recorder.events));
    await crash(node);
  };
  const { entry, detail } = await nemesis.inject('crash-node', { node: 'node1' });
  t.same(
    seenAtCrash,
    ['crash-node node1', 'fault crash-node node1'],
    'the journal entry and the fault event exist when the node is crashed',
  );
  t.equal(detail, 'killed');
  t.same(
    entry && { fault: entry.fault, node: entry.node, run: entry.run },
    { fault: 'crash-node', node: 'node1', run },
    'the entry names the run',
  );
  t.same(nemesis.active(), [entry], 'in force');
});

t.test('heal: newest first, each recorded and forgotten by the journal; healAll leaves nothing in force', async (t) => {
  const { lab, recorder, nemesis } = nemesisOn();
  await nemesis.inject('crash-node', { node: 'node2' });
  await nemesis.inject('crash-node', { node: 'node3' });
  const events = await nemesis.healAll();
  t.same(
    events.map((e) => [e.node, e.ok, e.detail]),
    [
      ['node3', true, 'started'],
      ['node2', true, 'started'],
    ],
  );
  t.same(lab.provider.calls, ['crash node2', 'crash node3', 'start node3', 'start node2']);
  t.same(await lab.journal.entries(), [], 'forgotten once healed');
  t.same(nemesis.active(), []);
  t.same(kinds(recorder.events), [
    'fault crash-node node2',
    'fault crash-node node3',
    'heal crash-node node3',
    'heal crash-node node2',
  ]);
});

t.test('healOne of a fault healed already, and endHold of one with nothing to undo, record a heal without acting', async (t) => {
  const { lab, nemesis } = nemesisOn();
  const { entry } = await nemesis.inject('crash-node', { node: 'node2' });
  t.equal((await nemesis.healOne(entry!)).detail, 'started');
  t.same(
    [(await nemesis.healOne(entry!)).detail, lab.provider.calls],
    ['healed already', ['crash node2', 'start node2']],
    'the second heal does nothing',
  );
  t.same(nemesis.endHold('pause-node', 'node1', 'resumed'), {
    kind: 'heal',
    fault: 'pause-node',
    node: 'node1',
    ok: true,
    detail: 'resumed',
    t: 0,
  });
});
