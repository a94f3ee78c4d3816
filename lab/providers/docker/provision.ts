/**
 * Runs the lab's provisioners in the node containers, in the order the VMs run them: etcd (all at
 * once for a static bootstrap, node by node for the document's incremental one), then each later
 * step on all nodes at once. Patroni too: whichever node takes the initialize key in etcd
 * bootstraps the cluster, the others wait for it and clone from it (starting the first node alone
 * would only make the leader predictable, at the cost of a few seconds on every `up`).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabNode, LabSpec } from '../../spec/schema.js';
import { ENTRY_STEP, entryStepCommand, PROVISION_STEPS, stepCommand, type ProvisionStep } from '../../render/provisioning.js';
import { dockerExec } from './exec.js';
import { containerName, type DockerLab } from './naming.js';
import { commandStep } from '../steps.js';
import type { ProgressListener } from '../provider.js';

const STEP_TIMEOUT_MS = 600_000;

/** Steps after the packages, which are already in the node image. */
export const NODE_STEPS = PROVISION_STEPS.filter((s) => s.name !== 'packages');

/** A step's name in progress lines and log files: its script's name, e.g. `20-etcd`. */
export const stepLabel = (s: ProvisionStep): string => s.script.replace(/\.sh$/, '');

/** How a step is spread over the nodes: batches run one after another, nodes in a batch together. Pure. */
export function stepBatches(stepName: ProvisionStep['name'], spec: Pick<LabSpec, 'nodes' | 'etcd'>): LabNode[][] {
  if (stepName === 'etcd' && spec.etcd.bootstrap === 'incremental') return spec.nodes.map((n) => [n]);
  return [spec.nodes];
}

/** Waits for all, then fails with the first failure, so every node's log is complete when it does. */
async function allSettledOrThrow(tasks: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The node steps up to and including lastStep (all of them without one). Pure. */
export function stepsUntil(lastStep?: ProvisionStep['name']): ProvisionStep[] {
  const end = lastStep ? PROVISION_STEPS.findIndex((s) => s.name === lastStep) : PROVISION_STEPS.length - 1;
  return NODE_STEPS.filter((s) => PROVISION_STEPS.indexOf(s) <= end);
}

export async function provisionNodes({ docker, spec, dir, labId, lastStep }: DockerLab, { signal, onStep }: { signal?: AbortSignal; onStep?: ProgressListener }): Promise<void> {
  for (const provisionStep of stepsUntil(lastStep)) {
    for (const batch of stepBatches(provisionStep.name, spec)) {
      signal?.throwIfAborted();
      await allSettledOrThrow(
        batch.map((node) =>
          commandStep(dir, onStep, node.name, stepLabel(provisionStep), (log) =>
            dockerExec(docker.getContainer(containerName(labId, node.name)), stepCommand(provisionStep, node.name), {
              timeoutMs: STEP_TIMEOUT_MS,
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
export async function provisionEntry({ docker, spec, dir, labId }: DockerLab, { signal, onStep }: { signal?: AbortSignal; onStep?: ProgressListener }): Promise<void> {
  const haproxy = spec.entry?.haproxy;
  if (!haproxy) return;
  signal?.throwIfAborted();
  await commandStep(dir, onStep, haproxy.name, ENTRY_STEP.script.replace(/\.sh$/, ''), (log) =>
    dockerExec(docker.getContainer(containerName(labId, haproxy.name)), entryStepCommand(haproxy.name), { timeoutMs: STEP_TIMEOUT_MS, signal, tee: log }),
  );
}

/**
 * A hash of every generated file (the writer's manifest lists them): the nodes were provisioned from
 * exactly this lab directory when it equals the one recorded in state.json.
 */
export async function labFingerprint(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(dir, '.generated.json'), 'utf8')) as string[];
  const hash = createHash('sha256');
  for (const rel of [...manifest].sort()) hash.update(rel).update('\0').update(await readFile(path.join(dir, rel))).update('\0');
  return hash.digest('hex');
}
