/**
 * Cold `up` (no cached node image), warm `up` (image cached) to healthy, and `down`, in seconds, on a
 * throwaway lab named `bench` on the document's subnet, configured as CI runs it. Then the same lab
 * with entry points (HAProxy and PgBouncer): its `up` with the entry image built on the node image
 * just made, and again with the entry image cached.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bringUp } from '../lab/cluster/readiness.js';
import { specContext } from '../lab/labdir/context.js';
import { generateLab } from '../lab/labdir/generate.js';
import type Docker from 'dockerode';
import { dockerClient } from '../lab/providers/docker/client.js';
import { LOCAL_BASE_IMAGE } from '../lab/providers/docker/base-image-tag.js';
import { DockerProvider } from '../lab/providers/docker/provider.js';
import { packageRoot } from '../lab/render/package-files.js';
import type { ProgressEvent } from '../lab/providers/provider.js';

export interface UpDownFigures {
  coldUpS: number;
  warmUpS: number;
  downS: number;
  /** `up` with entry points, the node image cached, the entry image built. */
  entryBuiltUpS: number;
  /** The same `up` again, both images cached. */
  entryCachedUpS: number;
}

/** What the bench adds to CI's lab to give it entry points. */
const ENTRY_YAML = '\nentry:\n  pgbouncer:\n    enabled: true\n';

/** CI's lab settings. */
const fixture = (): string => path.join(packageRoot(), 'test/fixtures/docker-lab-dk1.yaml');

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return Math.round((performance.now() - started) / 100) / 10;
}

/**
 * A base image with a new id and the same files: the node image built on it is not cached, so the
 * first `up` is really cold, without removing a node image other labs on this engine may be using.
 */
async function freshBase(docker: Docker, base: string, tag: string): Promise<void> {
  const container = await docker.createContainer({ Image: base, Cmd: ['true'], Labels: { 'pgha-lab.bench': tag } });
  try {
    const [repo, version] = tag.split(':') as [string, string];
    await container.commit({ repo, tag: version, changes: ['CMD ["/sbin/init"]', `LABEL pgha-lab.bench="${tag}"`] });
  } finally {
    await container.remove({ force: true });
  }
}

export async function benchUpDown(options: { onProgress?: (e: ProgressEvent) => void } = {}): Promise<UpDownFigures> {
  const work = await mkdtemp(path.join(tmpdir(), 'pgha-lab-bench-'));
  const file = path.join(work, 'lab.yaml');
  const docker = dockerClient();
  const fixtureText = await readFile(fixture(), 'utf8');
  const base = /^\s*baseImage:\s*(\S+)/m.exec(fixtureText)?.[1] ?? LOCAL_BASE_IMAGE;
  const benchBase = `pgha-lab/bench-base:${process.pid}`;
  await freshBase(docker, base, benchBase);
  await writeFile(file, fixtureText.replace(/^name: .*$/m, 'name: bench').replace(/^(\s*baseImage:).*$/m, `$1 ${benchBase}`));
  const dir = path.join(work, 'lab');
  const labAt = async (): Promise<{ up: () => Promise<unknown>; provider: DockerProvider }> => {
    const ctx = await specContext({ file, dir });
    await generateLab(ctx);
    const provider = new DockerProvider(ctx, docker);
    return { provider, up: () => bringUp(provider, ctx, { onProgress: options.onProgress, healthyTimeoutMs: 300_000 }) };
  };
  const { provider, up } = await labAt();
  try {
    const coldUpS = await timed(up);
    await provider.down();
    const warmUpS = await timed(up);
    const downS = await timed(() => provider.down());
    await appendFile(file, ENTRY_YAML);
    const withEntry = await labAt();
    const entryBuiltUpS = await timed(withEntry.up);
    await withEntry.provider.down();
    const entryCachedUpS = await timed(withEntry.up);
    await withEntry.provider.down();
    return { coldUpS, warmUpS, downS, entryBuiltUpS, entryCachedUpS };
  } finally {
    // The node and entry images built for the bench carry the bench lab's label (one lab id: the same
    // name and directory); the fresh base goes after them.
    await provider.down({ images: true }).catch(() => undefined);
    await docker
      .getImage(benchBase)
      .remove()
      .catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
