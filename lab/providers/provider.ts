/**
 * The one interface both providers (vagrant, docker) implement: lifecycle for `lab up/down/status`
 * and the fault primitives scenarios need. Faults that are plain commands inside a node
 * (kill a service, SIGSTOP, iptables) go through `exec`, so they are the same for VMs and containers.
 */
import type { LabSpec } from '../spec/schema.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Kill the command after this long; every call is bounded. Default 60 s. */
  timeoutMs?: number;
  input?: string;
  signal?: AbortSignal;
}

/** Where a node's services are reached from the host: always 127.0.0.1 and a published/forwarded port. */
export interface NodeEndpoints {
  node: string;
  patroni: { host: string; port: number };
  postgres: { host: string; port: number };
  etcd: { host: string; port: number };
}

/** The HAProxy node's ports on the host (entry.haproxy): read-write, read-only, stats and, with entry.pgbouncer, PgBouncer. */
export interface EntryEndpoints {
  machine: string;
  readWrite: { host: string; port: number };
  readOnly: { host: string; port: number };
  stats: { host: string; port: number };
  pgbouncer?: { host: string; port: number };
}

export interface ProgressEvent {
  node: string | null;
  task: string;
  status: 'start' | 'ok' | 'fail' | 'skip';
  elapsedMs?: number;
  output?: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

export interface UpOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /**
   * Run the provisioners again even where the machines are up and were provisioned from these files
   * (the caller found the lab unhealthy). Readiness is not the provider's job: the caller composes
   * its waits (cluster/readiness.ts) once `up` has created, booted and provisioned the machines.
   */
  reprovision?: boolean;
}

export interface UpResult {
  /** False when every machine was already up and provisioned from these files, and nothing was done. */
  changed: boolean;
}

export interface DownResult {
  removed: string[];
  /** What this lab made but left in place, and why (an image another lab still runs on). */
  kept: string[];
}

/** One thing checked on this host: what was found and, when it is a problem, the exact fix. */
export interface DoctorCheck {
  /** Whose need it is: a provider's, or the host's whatever the provider. */
  area: LabSpec['provider'] | 'host';
  ok: boolean;
  what: string;
  fix?: string;
}

/** What the lab already holds on this host, so preflight does not count it against the lab. */
export interface HostFootprint {
  /** Host network interfaces the lab created (Docker's bridge): a route through them is the lab's own. */
  interfaces: string[];
  /** Nodes running now: their memory is already taken. */
  runningNodes: string[];
}

/** Something that changes each time a node (re)boots: a VM's boot_id, a container's start time + restart count. */
export interface BootMarker {
  node: string;
  marker: string;
}

export interface Provider {
  readonly kind: LabSpec['provider'];
  up(options?: UpOptions): Promise<UpResult>;
  down(options?: { images?: boolean }): Promise<DownResult>;
  /** Runs argv inside the node as root. Never throws on a non-zero exit; throws if the node is unreachable. */
  exec(node: string, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  endpoints(node: string): Promise<NodeEndpoints>;
  /** The HAProxy node's ports on 127.0.0.1; throws when the lab has no entry.haproxy or it is down. */
  entryEndpoints(): Promise<EntryEndpoints>;
  /** Names of nodes whose machine/container is running now. */
  running(): Promise<string[]>;
  /** The HAProxy node's name when its machine runs now; null when it does not, or the lab has none. */
  runningEntry(): Promise<string | null>;
  /** Power off / kill the node at once, no clean shutdown. `exec`, `crash`, `start` also take the HAProxy node's name. */
  crash(node: string): Promise<void>;
  /** Start a crashed or stopped node again (services come back as at boot). */
  start(node: string): Promise<void>;
  bootMarker(node: string): Promise<BootMarker>;
  /** Freeze every process of the node at once (the cgroup freezer: `docker pause`; a VM suspend). Idempotent. */
  pause(node: string): Promise<void>;
  /** Thaw a paused node. Idempotent. */
  resume(node: string): Promise<void>;
  /** Whether the node is paused now. */
  paused(node: string): Promise<boolean>;
  /** An interactive shell (`lab ssh`); resolves with the shell's exit code. */
  shell(node: string, argv?: string[]): Promise<number>;
  /** Memory one node needs, in MiB. */
  readonly nodeMemoryMib: number;
  /** What this provider needs on this host (its tools, engine, images), each problem with its fix. Never throws. */
  doctor(): Promise<DoctorCheck[]>;
  /** Never throws: a provider that cannot be reached holds nothing. */
  hostFootprint(): Promise<HostFootprint>;
  /** Releases what the provider holds open to reach the nodes (Vagrant: ssh connections and port forwards). */
  close?(): Promise<void>;
}
