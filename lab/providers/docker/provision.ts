/**
 * Runs the lab's provisioners in the node containers, in the order the VMs run them: etcd (all at
 * once for a static bootstrap, node by node for the document's incremental one), then each later
 * script on all nodes at once. Patroni too: whichever node takes the initialize key in etcd
 * bootstraps the cluster, the others wait for it and clone from it (starting the first node alone
 * would only make the leader predictable, at the cost of a few seconds on every `up`).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabNode, LabSpec } from '../../spec/schema.js';
import {
  backupScriptCommand,
  type BackupScript,
  ENTRY_SCRIPT,
  entryScriptCommand,
  PROVISION_SCRIPTS,
  scriptCommand,
  type ProvisionScript,
} from '../../render/provisioning.js';
import { dockerExec } from './exec.js';
import { containerName, type DockerLab } from './naming.js';
import { commandTask } from '../tasks.js';
import type { ProgressListener } from '../provider.js';

const SCRIPT_TIMEOUT_MS = 600_000;

/** The scripts after 10-packages, whose packages are already in the node image. */
export const NODE_SCRIPTS = PROVISION_SCRIPTS.filter((s) => s.name !== 'packages');

/** A script's name in progress lines and log files, e.g. `20-etcd`. */
export const scriptLabel = (s: ProvisionScript): string => s.script.replace(/\.sh$/, '');

/** How a script is spread over the nodes: batches run one after another, nodes in a batch together. Pure. */
export function scriptBatches(name: ProvisionScript['name'], spec: Pick<LabSpec, 'nodes' | 'etcd'>): LabNode[][] {
  if (name === 'etcd' && spec.etcd.bootstrap === 'incremental') return spec.nodes.map((n) => [n]);
  return [spec.nodes];
}

/** Waits for all, then fails with the first failure, so every node's log is complete when it does. */
async function allSettledOrThrow(tasks: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The node scripts up to and including lastScript (all of them without one). Pure. */
export function scriptsUntil(lastScript?: ProvisionScript['name']): ProvisionScript[] {
  const end = lastScript ? PROVISION_SCRIPTS.findIndex((s) => s.name === lastScript) : PROVISION_SCRIPTS.length - 1;
  return NODE_SCRIPTS.filter((s) => PROVISION_SCRIPTS.indexOf(s) <= end);
}

export async function provisionNodes(
  { docker, spec, dir, labId, lastScript }: DockerLab,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: ProgressListener },
): Promise<void> {
  for (const script of scriptsUntil(lastScript)) {
    for (const batch of scriptBatches(script.name, spec)) {
      signal?.throwIfAborted();
      await allSettledOrThrow(
        batch.map((node) =>
          commandTask(dir, onProgress, node.name, scriptLabel(script), (log) =>
            dockerExec(docker.getContainer(containerName(labId, node.name)), scriptCommand(script, node.name), {
              timeoutMs: SCRIPT_TIMEOUT_MS,
              signal,
              tee: log,
            }),
          ),
        ),
      );
    }
  }
}

/** The HAProxy node's step, once the nodes run Patroni (its checks need their REST APIs); nothing without entry.haproxy. */
export async function provisionEntry(
  lab: DockerLab,
  options: { signal?: AbortSignal; onProgress?: ProgressListener },
): Promise<void> {
  const haproxy = lab.spec.entry?.haproxy;
  if (haproxy) await machineStep(lab, options, haproxy.name, ENTRY_SCRIPT.script, entryScriptCommand(haproxy.name));
}

/** One of the backup node's steps (render/provisioning.ts says when each runs); nothing without backup:. */
export async function provisionBackup(
  lab: DockerLab,
  options: { signal?: AbortSignal; onProgress?: ProgressListener },
  script: BackupScript,
): Promise<void> {
  const backup = lab.spec.backup;
  if (backup) await machineStep(lab, options, backup.name, script.script, backupScriptCommand(script, backup.name));
}

/** One script on one machine beside the nodes, logged and shown as its task. */
async function machineStep(
  { docker, dir, labId }: DockerLab,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: ProgressListener },
  machine: string,
  script: string,
  command: string[],
): Promise<void> {
  signal?.throwIfAborted();
  await commandTask(dir, onProgress, machine, script.replace(/\.sh$/, ''), (log) =>
    dockerExec(docker.getContainer(containerName(labId, machine)), command, { timeoutMs: SCRIPT_TIMEOUT_MS, signal, tee: log }),
  );
}

/**
 * A hash of every generated file (the writer's manifest lists them): the nodes were provisioned from
 * exactly this lab directory when it equals the one recorded in state.json.
 */
export async function labFingerprint(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(dir, '.generated.json'), 'utf8')) as string[];
  const hash = createHash('sha256');
  for (const rel of [...manifest].sort())
    hash
      .update(rel)
      .update('\0')
      .update(await readFile(path.join(dir, rel)))
      .update('\0');
  return hash.digest('hex');
}
