/** Images the engine has, by reference, and the base image pulled once when it has not. */
import type Docker from 'dockerode';
import { LabError } from '../../errors.js';
import { LOCAL_BASE_IMAGE } from './base-image-tag.js';
import { describeError, isNotFound } from './client.js';

/** The image's id; undefined when the engine has no such image. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function pull(docker: Docker, ref: string, signal?: AbortSignal): Promise<void> {
  const stream = await docker.pull(ref, { abortSignal: signal });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/** The base image's id, pulling it once if it is absent. */
export async function ensureBaseImage(docker: Docker, ref: string, signal?: AbortSignal): Promise<string> {
  const present = await imageId(docker, ref);
  if (present) return present;
  try {
    await pull(docker, ref, signal);
  } catch (e) {
    signal?.throwIfAborted();
    throw new LabError(
      `base image ${ref} is not present and could not be pulled (${describeError(e)})`,
      undefined,
      `with no registry reachable, build a local base with \`lab image base\` and set \`docker: { baseImage: ${LOCAL_BASE_IMAGE} }\` in lab.yaml`,
    );
  }
  const pulled = await imageId(docker, ref);
  if (!pulled) throw new LabError(`pulled ${ref} but the engine does not list it`);
  return pulled;
}
