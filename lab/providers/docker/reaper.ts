/**
 * The one label sweep: every object of the kinds asked for that the selector takes, removed.
 * `lab down`, the cleanup after `vagrant destroy`, `lab workshop down` and the image builders all
 * sweep through it. The engine's list is narrowed by the selector's filter, and each object's labels
 * are checked again before it is removed, so a filter mistake cannot widen a sweep.
 */
import type Docker from 'dockerode';
import { describeError, isConflict, isNotFound } from './client.js';
import { selectorFilter, selects, type LabelSelector } from './naming.js';

export type ObjectKind = 'container' | 'network' | 'volume' | 'image';

/** What a sweep needs of the engine: its lists and each object's removal. */
export type ReaperEngine = Pick<
  Docker,
  'listContainers' | 'listNetworks' | 'listVolumes' | 'listImages' | 'getContainer' | 'getNetwork' | 'getVolume' | 'getImage'
>;

export interface ReapOptions {
  /**
   * Remove images even when tagged more than once or used by a stopped container (a workshop
   * seat's snapshots are its own). Without it an image another lab's container runs on is kept.
   */
  forceImages?: boolean;
}

export interface Reaped {
  removed: string[];
  /** Images that stay, each with the engine's reason. */
  kept: string[];
}

/** Containers first: they hold the networks, volumes and images after them. */
const ORDER: readonly ObjectKind[] = ['container', 'network', 'volume', 'image'];

interface Found {
  kind: ObjectKind;
  /** How a report names it: `container lab-node1`, `image pgha-lab/node:...`. */
  name: string;
  remove(): Promise<unknown>;
}

const imageName = (image: Docker.ImageInfo): string => {
  const tag = image.RepoTags?.find((t) => t !== '<none>:<none>');
  return tag ?? image.Id.replace(/^sha256:/, '').slice(0, 12);
};

async function list(engine: ReaperEngine, selector: LabelSelector, kind: ObjectKind, options: ReapOptions): Promise<Found[]> {
  const filters = selectorFilter(selector);
  switch (kind) {
    case 'container':
      return (await engine.listContainers({ all: true, filters }))
        .filter((c) => selects(selector, c.Labels))
        .map((c) => ({
          kind,
          name: c.Names[0]?.replace(/^\//, '') ?? c.Id,
          remove: () => engine.getContainer(c.Id).remove({ force: true, v: true }),
        }));
    case 'network':
      return (await engine.listNetworks({ filters }))
        .filter((n) => selects(selector, n.Labels))
        .map((n) => ({ kind, name: n.Name, remove: () => engine.getNetwork(n.Id).remove() }));
    case 'volume':
      return ((await engine.listVolumes({ filters })).Volumes ?? [])
        .filter((v) => selects(selector, v.Labels))
        .map((v) => ({ kind, name: v.Name, remove: () => engine.getVolume(v.Name).remove() }));
    case 'image':
      return childrenFirst((await engine.listImages({ filters })).filter((i) => selects(selector, i.Labels))).map((i) => ({
        kind,
        name: imageName(i),
        remove: () => engine.getImage(i.Id).remove(options.forceImages ? { force: true } : {}),
      }));
  }
}

/**
 * Images newest first: an image made from another (the entry image from the node image) is always
 * the newer, and the engine refuses to remove an image while one made from it exists. Pure.
 */
export function childrenFirst<T extends Pick<Docker.ImageInfo, 'Created'>>(images: readonly T[]): T[] {
  return [...images].sort((a, b) => b.Created - a.Created);
}

/** What the selector takes on the engine now, of these kinds, as a report names it (`container x`). */
export async function labelled(engine: ReaperEngine, selector: LabelSelector, kinds: readonly ObjectKind[]): Promise<string[]> {
  const found = await Promise.all(ORDER.filter((k) => kinds.includes(k)).map((k) => list(engine, selector, k, {})));
  return found.flat().map((f) => `${f.kind} ${f.name}`);
}

/**
 * Removes what the selector takes, of these kinds. Idempotent: what is already gone (a concurrent
 * sweep) is not an error. An image that cannot go is kept with the reason (another lab built from
 * the same packages may run on it); any other failure is thrown.
 */
export async function reap(
  engine: ReaperEngine,
  selector: LabelSelector,
  kinds: readonly ObjectKind[],
  options: ReapOptions = {},
): Promise<Reaped> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const kind of ORDER.filter((k) => kinds.includes(k))) {
    const found = await list(engine, selector, kind, options);
    // Containers go at once (each is a process to stop); the rest one after another, as the engine prefers.
    const removeOne = async (f: Found): Promise<void> => {
      try {
        await f.remove();
        removed.push(`${kind} ${f.name}`);
      } catch (e) {
        if (isNotFound(e) || (kind !== 'image' && isConflict(e))) return;
        if (kind !== 'image') throw e;
        kept.push(`${kind} ${f.name}: ${describeError(e)}`);
      }
    };
    if (kind === 'container') await Promise.all(found.map(removeOne));
    else for (const f of found) await removeOne(f);
  }
  return { removed: removed.sort(), kept };
}
