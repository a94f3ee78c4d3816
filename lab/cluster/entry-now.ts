/** The lab's entry paths at the host ports they have now, for `lab env` and a `--workload` command. */
import type { LabAccess } from './access.js';
import { entryPaths, type EntryPath } from './entry-paths.js';
import type { EntrySpec, LabNode } from '../spec/schema.js';

/** A lab without an `entry:` section is still reachable: the libpq multi-host path over the nodes' own ports. */
const NODES_ONLY: EntrySpec = { haproxy: null, pgbouncer: null, libpq: true };

export async function entryPathsNow(
  access: Pick<LabAccess, 'endpoints' | 'entryEndpoints'>,
  entry: EntrySpec | null,
  nodes: readonly Pick<LabNode, 'name'>[],
): Promise<EntryPath[]> {
  const endpoints = await Promise.all(nodes.map((n) => access.endpoints(n.name)));
  const own = entry ?? NODES_ONLY;
  return entryPaths(own, own.haproxy ? await access.entryEndpoints() : null, endpoints);
}
