/** `lab down --images`: the images this lab built, found by label only. */
import type Docker from 'dockerode';
import { describeError } from './client.js';
import { labFilter, LABEL_LAB } from './naming.js';

export async function removeLabImages(docker: Docker, labId: string): Promise<{ removed: string[]; kept: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const image of await docker.listImages({ filters: labFilter(labId) })) {
    if (image.Labels?.[LABEL_LAB] !== labId) continue;
    const name = `image ${image.RepoTags?.[0] ?? image.Id}`;
    try {
      await docker.getImage(image.Id).remove();
      removed.push(name);
    } catch (e) {
      // Another lab built from the same packages may be running on it; it stays until that lab is down.
      kept.push(`${name}: ${describeError(e)}`);
    }
  }
  return { removed, kept };
}
