/**
 * The workshop's engines: a client for each (its socket, ssh:// or tcp:// with TLS), and the node
 * image, built once on the first engine and copied to the others through the API (docker save and
 * load), since there is no registry to pull it from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { ExitCode, LabError } from '../errors.js';
import { assertEngine, describeError, dockerClient, engineOptions } from '../providers/docker/client.js';
import { imageId } from '../providers/docker/pull.js';
import type { EngineSpec } from '../spec/workshop.js';

export interface Engine {
  name: string;
  docker: Docker;
  concurrency: number;
  /** Where the engine says it is, for messages. */
  where: string;
}

async function tlsOf(dir: string) {
  const read = (f: string) =>
    readFile(path.join(dir, f), 'utf8').catch((e: Error) => {
      throw new LabError(
        `cannot read ${path.join(dir, f)}: ${e.message}`,
        ExitCode.badInput,
        'tlsCertPath names a directory with ca.pem, cert.pem and key.pem',
      );
    });
  return { ca: await read('ca.pem'), cert: await read('cert.pem'), key: await read('key.pem') };
}

/** Clients for every engine, each checked to answer (bounded), relative paths against baseDir. */
export async function connectEngines(specs: readonly EngineSpec[], baseDir: string): Promise<Engine[]> {
  return Promise.all(
    specs.map(async (e) => {
      const tls = e.tlsCertPath ? await tlsOf(path.resolve(baseDir, e.tlsCertPath)) : undefined;
      const docker = e.host ? dockerClient(engineOptions(e.host, tls)) : dockerClient();
      await assertEngine(docker).catch((err: unknown) => {
        throw new LabError(
          `engine ${e.name} (${e.host ?? process.env.DOCKER_HOST ?? 'the local socket'}) does not answer: ${describeError(err)}`,
          ExitCode.infrastructure,
          'start it, or fix engines[].host in workshop.yaml',
        );
      });
      return { name: e.name, docker, concurrency: e.concurrency, where: e.host ?? 'local' };
    }),
  );
}

/** Copies an image (all its tags' layers) from one engine to another unless it is there already. */
export async function copyImage(from: Docker, to: Docker, tag: string): Promise<boolean> {
  if (await imageId(to, tag)) return false;
  const archive = await from.getImage(tag).get();
  const progress = await to.loadImage(archive);
  await new Promise<void>((resolve, reject) => {
    to.modem.followProgress(progress, (err: Error | null, output: { error?: string }[]) => {
      const failed = err?.message ?? output.find((o) => o.error)?.error;
      if (failed) reject(new LabError(`loading ${tag} into an engine failed: ${failed}`));
      else resolve();
    });
  });
  if (!(await imageId(to, tag))) throw new LabError(`${tag} was loaded but the engine does not list it`);
  return true;
}
