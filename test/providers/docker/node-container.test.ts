/** A node that is a container: the fault primitives over an engine faked per test (what the engine answers is the logic under test). */
import type Docker from 'dockerode';
import t from 'tap';
import { LabError } from '../../../lab/errors.js';
import { bootMarkerOf, NodeContainer } from '../../../lab/providers/docker/node-container.js';

const engineError = (statusCode: number, message = `HTTP ${statusCode}`) => Object.assign(new Error(message), { statusCode });

/** A container whose state the calls change, as the engine would, and whose every call is recorded. */
function fakeEngine(state: { Running: boolean; Paused: boolean } | undefined) {
  const calls: string[] = [];
  const names: string[] = [];
  const container = {
    async inspect() {
      calls.push('inspect');
      if (!state) throw engineError(404);
      return { Id: 'c1', RestartCount: 2, State: { ...state, StartedAt: '2026-12-07T20:00:00Z' } };
    },
    async kill() {
      calls.push('kill');
      if (!state) throw engineError(404);
      if (!state.Running) throw engineError(409, 'is not running');
      state.Running = false;
    },
    async start() {
      calls.push('start');
      if (!state) throw engineError(404);
      if (state.Running) throw engineError(304);
      state.Running = true;
    },
    async pause() {
      calls.push('pause');
      state!.Paused = true;
    },
    async unpause() {
      calls.push('unpause');
      state!.Paused = false;
    },
  };
  const docker = {
    getContainer(ref: string) {
      names.push(ref);
      return container as unknown as Docker.Container;
    },
  };
  return { docker, calls, names };
}

t.test('crash and start are idempotent, as the engine answers them', async (t) => {
  const state = { Running: true, Paused: false };
  const { docker, calls, names } = fakeEngine(state);
  const node = new NodeContainer(docker, 'node1', 'lab-abc123-node1', 'lab up');
  await node.kill();
  t.equal(state.Running, false, 'killed');
  await node.kill();
  t.pass('a second kill of a stopped container (409) is not an error');
  await node.start();
  await node.start();
  t.equal(state.Running, true, 'started; starting a running one (304) is not an error');
  t.same(calls, ['kill', 'kill', 'start', 'start']);
  t.ok(
    names.every((n) => n === 'lab-abc123-node1'),
    'the container is named as given',
  );
});

t.test('pause and resume are idempotent: the freezer is asked only when the state differs', async (t) => {
  const state = { Running: true, Paused: false };
  const { docker, calls } = fakeEngine(state);
  const node = new NodeContainer(docker, 'node2', 'id2', 'lab up');
  await node.pause();
  await node.pause();
  t.equal(await node.paused(), true);
  await node.resume();
  await node.resume();
  t.equal(await node.paused(), false);
  t.same(
    calls.filter((c) => c !== 'inspect'),
    ['pause', 'unpause'],
    'one freeze, one thaw',
  );
});

t.test('a node without a container: the error names the node and the fix', async (t) => {
  const { docker } = fakeEngine(undefined);
  const gone = new NodeContainer(docker, 'node3', 'id3', 'bring the lab up with `lab up`');
  for (const [what, act] of [
    ['kill', () => gone.kill()],
    ['start', () => gone.start()],
    ['pause', () => gone.pause()],
    ['bootMarker', () => gone.bootMarker().then(() => undefined)],
  ] as const) {
    await t.rejects(
      act(),
      { name: 'LabError', message: 'node node3 has no container', hint: 'bring the lab up with `lab up`' },
      what,
    );
  }
  const { docker: untouched, calls } = fakeEngine({ Running: true, Paused: false });
  const unrecorded = new NodeContainer(untouched, 'node3', undefined, 'vagrant up');
  await t.rejects(unrecorded.kill(), LabError, 'no recorded id: the same error');
  t.same(calls, [], 'and the engine is not asked');
});

t.test('any other engine error is not swallowed', async (t) => {
  const docker = {
    getContainer: () => ({ kill: async () => Promise.reject(engineError(500, 'engine broke')) }) as unknown as Docker.Container,
  };
  await t.rejects(new NodeContainer(docker, 'node1', 'x', 'lab up').kill(), { message: 'engine broke' });
});

t.test('the boot marker changes with a restart, not with anything else', async (t) => {
  const info = (startedAt: string, restarts: number) =>
    ({ RestartCount: restarts, State: { StartedAt: startedAt } }) as Parameters<typeof bootMarkerOf>[1];
  t.same(bootMarkerOf('node1', info('2026-12-07T20:00:00Z', 0)), { node: 'node1', marker: '2026-12-07T20:00:00Z#0' });
  t.not(
    bootMarkerOf('node1', info('2026-12-07T20:00:00Z', 1)).marker,
    bootMarkerOf('node1', info('2026-12-07T20:00:00Z', 0)).marker,
    'a restart by the policy counts',
  );
  t.not(
    bootMarkerOf('node1', info('2026-12-07T20:05:00Z', 0)).marker,
    bootMarkerOf('node1', info('2026-12-07T20:00:00Z', 0)).marker,
    'a start after a kill counts',
  );
  const { docker } = fakeEngine({ Running: true, Paused: false });
  t.same(
    await new NodeContainer(docker, 'node1', 'c1', 'lab up').bootMarker(),
    { node: 'node1', marker: '2026-12-07T20:00:00Z#2' },
    'read from the container',
  );
});
