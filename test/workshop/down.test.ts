/** Which objects are a workshop's seats': the two sweeps `lab workshop down` makes on every engine. */
import t from 'tap';
import { LABEL_LAB, LABEL_ROLE, selects } from '../../lab/providers/docker/naming.js';
import type { ReaperEngine } from '../../lab/providers/docker/reaper.js';
import { labelledSeatObjects, seatSweeps } from '../../lab/workshop/down.js';

const labels = (lab: string, role: string) => ({ [LABEL_LAB]: lab, [LABEL_ROLE]: role });

t.test("a seat's objects and snapshots; not another workshop's, not the shared images", async (t) => {
  const [objects, snapshots] = seatSweeps('ws');
  t.same(objects!.kinds, ['container', 'network', 'volume']);
  t.same(snapshots!.kinds, ['image']);
  t.ok(selects(objects!.selector, labels('ws-s01-abcdef', 'node')), "a seat's node");
  t.ok(selects(objects!.selector, labels('ws-s12-012345', 'network')), "a seat's network");
  t.notOk(selects(objects!.selector, labels('ws2-s01-abcdef', 'node')), "another workshop's seat");
  t.notOk(selects(objects!.selector, labels('ws-abcdef', 'node')), 'a lab named like the workshop');
  t.ok(selects(snapshots!.selector, labels('ws-s01-abcdef', 'seat-image')), "a seat's snapshot");
  t.notOk(selects(snapshots!.selector, labels('ws-s01-abcdef', 'node-image')), 'the node image a seat built stays, a cache');
  t.notOk(selects(snapshots!.selector, labels('workshop-image', 'workshop-image')), 'the seat image stays, shared by workshops');
});

t.test('what is left of the seats on an engine, as down reports it', async (t) => {
  const engine = {
    listContainers: async () => [
      { Id: 'c1', Names: ['/ws-s01-abcdef-node1'], Labels: labels('ws-s01-abcdef', 'node') },
      { Id: 'c2', Names: ['/other'], Labels: labels('other-aaaaaa', 'node') },
    ],
    listNetworks: async () => [{ Id: 'n1', Name: 'ws-s01-abcdef-net', Labels: labels('ws-s01-abcdef', 'network') }],
    listVolumes: async () => ({ Volumes: [] }),
    listImages: async () => [
      { Id: 'sha256:1', RepoTags: ['pgha-lab/seat:ws-s01-abcdef-node1'], Labels: labels('ws-s01-abcdef', 'seat-image') },
      { Id: 'sha256:2', RepoTags: ['pgha-lab/node:x'], Labels: labels('ws-s01-abcdef', 'node-image') },
    ],
  } as unknown as ReaperEngine;
  t.same((await labelledSeatObjects(engine, 'ws')).sort(), [
    'container ws-s01-abcdef-node1',
    'image pgha-lab/seat:ws-s01-abcdef-node1',
    'network ws-s01-abcdef-net',
  ]);
});
