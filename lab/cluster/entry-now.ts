/** The lab's entry paths at the host ports they have now, for `lab env` and a `--workload` command. */
import type { LabAccess } from './access.js';
import { entryPaths, type EntryPath } from './entry-paths.js';
import type { EntrySpec, LabNode } from '../spec/schema.js';

export async function entryPathsNow(access: LabAccess, entry: EntrySpec, nodes: readonly Pick<LabNode, 'name'>[]): Promise<EntryPath[]> {
  const endpoints = await Promise.all(nodes.map((n) => access.endpoints(n.name)));
  return entryPaths(entry, entry.haproxy ? await access.entryEndpoints() : null, endpoints);
}
