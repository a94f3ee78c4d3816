/**
 * How this lab's Docker objects are named and labelled. The label is the only thing `down` trusts:
 * every object the lab creates carries `pgha-lab.lab=<lab id>`, so removal can never reach
 * anything another lab (or anyone else) created.
 */
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { ProvisionScript } from '../../render/provisioning.js';
import type { LabSpec } from '../../spec/schema.js';

/** A port of a node published on the engine's host beyond the service ports, e.g. a workshop seat's ssh. */
export interface ExtraPort {
  node: string;
  port: number;
  /** The host address it is published on (the service ports stay on 127.0.0.1). */
  hostIp: string;
  /** A fixed host port (default: one the engine picks). */
  hostPort?: number;
}

/**
 * How a lab's nodes are made, when not the plain `lab up` way (a workshop seat): an image that
 * already holds the packages step (and more), provisioning stopped after a step, extra ports.
 */
export interface DockerLabOptions {
  /** Run the nodes from this image, which must be on the engine, instead of building the node image. */
  nodeImage?: string;
  /** Provision up to and including this script (default: every script). */
  lastScript?: ProvisionScript['name'];
  extraPorts?: ExtraPort[];
}

/** What every part of the Docker provider is handed: the engine, the lab's spec, its directory and id. */
export interface DockerLab extends DockerLabOptions {
  docker: Docker;
  spec: LabSpec;
  dir: string;
  labId: string;
}

export const LABEL_LAB = 'pgha-lab.lab';
export const LABEL_NODE = 'pgha-lab.node';
/**
 * What the object is to the lab: a node container, the HAProxy node's (entry), the backup node's, an
 * image builder, the lab network, the node image, the entry image (the node image plus HAProxy and PgBouncer).
 */
export const LABEL_ROLE = 'pgha-lab.role';
export type ObjectRole = 'node' | 'entry' | 'backup' | 'builder' | 'network' | 'node-image' | 'entry-image' | 'seat-image';

/** Lab id: the lab name plus a short hash of the lab directory, so two checkouts of one lab never collide. */
export function labIdFor(name: string, dir: string): string {
  return `${name}-${createHash('sha256').update(dir).digest('hex').slice(0, 6)}`;
}

export function labelsFor(labId: string, role: ObjectRole, node?: string): Record<string, string> {
  return { [LABEL_LAB]: labId, [LABEL_ROLE]: role, ...(node ? { [LABEL_NODE]: node } : {}) };
}

/**
 * Which labelled objects a list or a sweep takes, by label: a value the label must equal, `true` for
 * any value, or a test of the value (e.g. every seat of a workshop). Objects without the label never match.
 */
export type LabelSelector = Readonly<Record<string, string | true | ((value: string) => boolean)>>;

/** This lab's objects (optionally of one role). */
export function labSelector(labId: string, role?: ObjectRole): LabelSelector {
  return { [LABEL_LAB]: labId, ...(role ? { [LABEL_ROLE]: role } : {}) };
}

/** The engine's list filter for a selector: `key=value` where the value is exact, else the key alone. Pure. */
export function selectorFilter(selector: LabelSelector): { label: string[] } {
  return { label: Object.entries(selector).map(([key, want]) => (typeof want === 'string' ? `${key}=${want}` : key)) };
}

/** Whether an object's labels match the selector: the guard applied again to what the engine listed. Pure. */
export function selects(selector: LabelSelector, labels: Record<string, string> | null | undefined): boolean {
  return Object.entries(selector).every(([key, want]) => {
    const value = labels?.[key];
    if (value === undefined) return false;
    return want === true || (typeof want === 'string' ? value === want : want(value));
  });
}

/** A Docker list filter matching exactly this lab's objects (optionally one role). */
export function labFilter(labId: string, role?: ObjectRole): { label: string[] } {
  return selectorFilter(labSelector(labId, role));
}

/** True when an object's labels say it belongs to this lab: a second guard before anything is removed. */
export function belongsTo(labId: string, labels: Record<string, string> | null | undefined): boolean {
  return labels?.[LABEL_LAB] === labId;
}

export const containerName = (labId: string, node: string): string => `${labId}-${node}`;
/** The builder of one of the lab's images: `<lab id>-node-image-build`, `<lab id>-entry-image-build`. */
export const builderName = (labId: string, image: 'node' | 'entry'): string => `${labId}-${image}-image-build`;
export const networkName = (labId: string): string => `${labId}-net`;
export const NODE_IMAGE_REPO = 'pgha-lab/node';
export const ENTRY_IMAGE_REPO = 'pgha-lab/entry';
