/** The label reaper over a fake engine: which objects a selector takes, in which order they go, and what is kept. */
import t from 'tap';
import {
  LABEL_LAB,
  LABEL_NODE,
  LABEL_ROLE,
  labSelector,
  selectorFilter,
  type LabelSelector,
} from '../../../lab/providers/docker/naming.js';
import { childrenFirst, labelled, reap, type ReaperEngine } from '../../../lab/providers/docker/reaper.js';

type Labels = Record<string, string>;
interface FakeObject {
  id: string;
  name: string;
  labels: Labels;
  /** The engine's error when asked to remove it. */
  fails?: { statusCode: number; message: string };
}

const lab = (id: string, role: string, node?: string): Labels => ({
  [LABEL_LAB]: id,
  [LABEL_ROLE]: role,
  ...(node ? { [LABEL_NODE]: node } : {}),
});

/**
 * An engine holding these objects. Its list filter is deliberately ignored (it returns everything),
 * so the reaper's own check of each object's labels is what the tests see.
 */
function fakeEngine(objects: {
  container?: FakeObject[];
  network?: FakeObject[];
  volume?: FakeObject[];
  image?: (FakeObject & { tags?: string[]; created?: number })[];
}) {
  const removed: string[] = [];
  const filters: unknown[] = [];
  const removal = (kind: string, o: FakeObject) => ({
    async remove(opts?: unknown) {
      if (o.fails)
        throw Object.assign(new Error(o.fails.message), { statusCode: o.fails.statusCode, json: { message: o.fails.message } });
      removed.push(`${kind} ${o.name}${opts && Object.keys(opts).length ? ` ${JSON.stringify(opts)}` : ''}`);
    },
  });
  const find = (kind: keyof typeof objects, key: 'id' | 'name', value: string) => objects[kind]!.find((o) => o[key] === value)!;
  const engine = {
    async listContainers(o: { filters: unknown }) {
      filters.push(o.filters);
      return (objects.container ?? []).map((c) => ({ Id: c.id, Names: [`/${c.name}`], Labels: c.labels }));
    },
    async listNetworks() {
      return (objects.network ?? []).map((n) => ({ Id: n.id, Name: n.name, Labels: n.labels }));
    },
    async listVolumes() {
      return { Volumes: (objects.volume ?? []).map((v) => ({ Name: v.name, Labels: v.labels })) };
    },
    async listImages() {
      return (objects.image ?? []).map((i) => ({
        Id: i.id,
        RepoTags: i.tags ?? null,
        Labels: i.labels,
        Created: i.created ?? 0,
      }));
    },
    getContainer: (id: string) => removal('container', find('container', 'id', id)),
    getNetwork: (id: string) => removal('network', find('network', 'id', id)),
    getVolume: (name: string) => removal('volume', find('volume', 'name', name)),
    getImage: (id: string) => removal('image', find('image', 'id', id)),
  } as unknown as ReaperEngine;
  return { engine, removed, filters };
}

t.test("a lab's sweep takes its own objects only, containers before what they hold", async (t) => {
  const { engine, removed, filters } = fakeEngine({
    container: [
      { id: 'c1', name: 'dk-aaaaaa-node1', labels: lab('dk-aaaaaa', 'node', 'node1') },
      { id: 'c2', name: 'dk-aaaaaa-image-build', labels: lab('dk-aaaaaa', 'builder') },
      { id: 'c3', name: 'dk-aaaaaax-node1', labels: lab('dk-aaaaaax', 'node', 'node1') },
      { id: 'c4', name: 'unlabelled', labels: {} },
    ],
    network: [
      { id: 'n1', name: 'dk-aaaaaa-net', labels: lab('dk-aaaaaa', 'network') },
      { id: 'n2', name: 'bridge', labels: {} },
    ],
    volume: [{ id: 'v1', name: 'vol1', labels: lab('dk-aaaaaa', 'node') }],
  });
  const result = await reap(engine, labSelector('dk-aaaaaa'), ['volume', 'container', 'network']);
  t.same(
    result.removed,
    ['container dk-aaaaaa-image-build', 'container dk-aaaaaa-node1', 'network dk-aaaaaa-net', 'volume vol1'],
    'reported sorted',
  );
  t.same(
    removed.slice(2),
    ['network dk-aaaaaa-net', 'volume vol1'],
    'containers first, then networks, then volumes, whatever order they were asked in',
  );
  t.same(
    removed
      .slice(0, 2)
      .map((r) => r.split(' ')[1])
      .sort(),
    ['dk-aaaaaa-image-build', 'dk-aaaaaa-node1'],
  );
  t.same(filters[0], { label: [`${LABEL_LAB}=dk-aaaaaa`] }, "the engine's list is narrowed by the selector");
  t.same(result.kept, []);
});

t.test('images only when asked; one in use is kept with the reason, the rest go', async (t) => {
  const objects = {
    container: [{ id: 'c1', name: 'dk-aaaaaa-node1', labels: lab('dk-aaaaaa', 'node') }],
    image: [
      {
        id: 'sha256:0123456789abcdef',
        name: 'sha256:0123456789abcdef',
        labels: lab('dk-aaaaaa', 'node-image'),
        tags: ['pgha-lab/node:1'],
        fails: { statusCode: 409, message: 'image is being used by running container' },
      },
      {
        id: 'sha256:fedcba9876543210',
        name: 'sha256:fedcba9876543210',
        labels: lab('dk-aaaaaa', 'node-image'),
        tags: ['<none>:<none>'],
      },
    ],
  };
  const without = fakeEngine(objects);
  t.same((await reap(without.engine, labSelector('dk-aaaaaa'), ['container'])).removed, ['container dk-aaaaaa-node1']);
  t.notOk(
    without.removed.some((r) => r.startsWith('image')),
    'no image without asking',
  );
  const { engine } = fakeEngine(objects);
  const result = await reap(engine, labSelector('dk-aaaaaa'), ['image']);
  t.same(result.removed, ['image fedcba987654'], 'an untagged image is named by its short id');
  t.same(result.kept, ['image pgha-lab/node:1: image is being used by running container']);
});

t.test('images made from others go first: the entry image before the node image it was made from', async (t) => {
  t.same(
    childrenFirst([{ Created: 100 }, { Created: 300 }, { Created: 200 }]).map((i) => i.Created),
    [300, 200, 100],
    'newest first',
  );
  const { engine, removed } = fakeEngine({
    image: [
      { id: 'sha256:n', name: 'n', labels: lab('dk-aaaaaa', 'node-image'), tags: ['pgha-lab/node:1'], created: 1000 },
      { id: 'sha256:e', name: 'e', labels: lab('dk-aaaaaa', 'entry-image'), tags: ['pgha-lab/entry:1'], created: 1060 },
    ],
  });
  const result = await reap(engine, labSelector('dk-aaaaaa'), ['image']);
  t.same(removed, ['image e', 'image n'], 'the entry image is removed before the node image under it');
  t.same(result.removed, ['image pgha-lab/entry:1', 'image pgha-lab/node:1']);
});

t.test('forced image removal, and what is already gone', async (t) => {
  const { engine, removed } = fakeEngine({
    container: [
      { id: 'c1', name: 'gone', labels: lab('ws-s01-abcdef', 'node'), fails: { statusCode: 404, message: 'no such container' } },
    ],
    image: [
      { id: 'sha256:aa', name: 'x', labels: lab('ws-s01-abcdef', 'seat-image'), tags: ['pgha-lab/seat:ws-s01-abcdef-node1'] },
    ],
  });
  const result = await reap(engine, labSelector('ws-s01-abcdef'), ['container', 'image'], { forceImages: true });
  t.same(
    result.removed,
    ['image pgha-lab/seat:ws-s01-abcdef-node1'],
    'a container removed meanwhile is neither removed nor an error',
  );
  t.same(removed, ['image x {"force":true}'], 'the image removed with force');
});

t.test('any other failure is thrown, not kept', async (t) => {
  const { engine } = fakeEngine({
    network: [
      {
        id: 'n1',
        name: 'net',
        labels: lab('dk-aaaaaa', 'network'),
        fails: { statusCode: 403, message: 'network has active endpoints' },
      },
    ],
  });
  await t.rejects(reap(engine, labSelector('dk-aaaaaa'), ['network']), { message: 'network has active endpoints' });
});

t.test("a selector with a test takes every matching lab (a workshop's seats, stray nodes)", async (t) => {
  const containers = [
    { id: 'c1', name: 'ws-s01-abcdef-node1', labels: lab('ws-s01-abcdef', 'node', 'node1') },
    { id: 'c2', name: 'ws-s02-012345-node1', labels: lab('ws-s02-012345', 'node', 'node1') },
    { id: 'c3', name: 'wsx-s01-abcdef-node1', labels: lab('wsx-s01-abcdef', 'node', 'node1') },
    { id: 'c4', name: 'ws-s01-abcdef-node4', labels: lab('ws-s01-abcdef', 'node', 'node4') },
  ];
  const seats: LabelSelector = { [LABEL_LAB]: (id) => /^ws-s\d{2}-[0-9a-f]{6}$/.test(id) };
  t.same(selectorFilter(seats), { label: [LABEL_LAB] }, 'a test lists by the label key alone');
  t.same(await labelled(fakeEngine({ container: containers }).engine, seats, ['container', 'image']), [
    'container ws-s01-abcdef-node1',
    'container ws-s02-012345-node1',
    'container ws-s01-abcdef-node4',
  ]);
  const stray: LabelSelector = { ...labSelector('ws-s01-abcdef'), [LABEL_NODE]: (n) => !['node1', 'node2', 'node3'].includes(n) };
  t.same(
    (await reap(fakeEngine({ container: containers }).engine, stray, ['container'])).removed,
    ['container ws-s01-abcdef-node4'],
    'only the node lab.yaml no longer has',
  );
});

t.test('a builder label reaches builders whichever lab made them', async (t) => {
  const { engine } = fakeEngine({
    container: [
      { id: 'c1', name: 'a-image-build', labels: lab('a-111111', 'builder') },
      { id: 'c2', name: 'seat-image-builder', labels: { [LABEL_ROLE]: 'builder' } },
      { id: 'c3', name: 'a-111111-node1', labels: lab('a-111111', 'node') },
    ],
  });
  t.same((await reap(engine, { [LABEL_ROLE]: 'builder' }, ['container'])).removed, [
    'container a-image-build',
    'container seat-image-builder',
  ]);
});
