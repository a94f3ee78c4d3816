/**
 * What every fault definition is made of: the request a step resolves to, the heal that undoes it
 * from a journaled record, and the one helper that runs a command inside a node. The registry is
 * faults.ts; the definitions live beside it by kind (net-faults.ts, link-faults.ts, process-faults.ts).
 */
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LabError } from '../../errors.js';
import type { Provider } from '../../providers/provider.js';
import type { LabSpec } from '../../spec/schema.js';
import type { Clock } from '../../clock.js';
import type { LabAccess } from '../../cluster/access.js';
import type { Mechanism } from '../../cluster/fault-mechanisms.js';

export const SERVICES = ['patroni', 'postgres', 'etcd'] as const;
export type Service = (typeof SERVICES)[number];

export interface HealContext {
  provider: Provider;
  /** A run's connections, told when a node comes back (maybe on other ports); absent outside a run. */
  access?: Pick<LabAccess, 'markStale'>;
}

export interface FaultContext extends HealContext {
  spec: LabSpec;
  access: LabAccess;
  /** The run's clock, for an operation that waits between its parts (rolling-restart). */
  clock: Clock;
}

/** What the scenario step asked for, with its targets already resolved to node names. */
export interface FaultRequest {
  node: string;
  service?: Service;
  /** switchover / failover: the candidate; link faults: the other end of the link (absent: every peer). */
  to?: string;
  /** The step's `with:`, checked against the fault's `params` schema with its defaults filled in. */
  params?: Record<string, unknown>;
}

/**
 * How a fault is undone from its journal entry alone (labdir/fault-journal.ts): the process that
 * injected it may be gone, so everything the heal needs is in the record, as data.
 */
export interface Undo<S extends TSchema = TSchema> {
  /** The record's shape, checked before a journaled record is trusted. */
  schema: S;
  /**
   * What heal() will need, decided before anything is done so that it is journaled before the fault
   * is applied (a run killed mid-inject leaves it half-applied); undefined when this request leaves
   * nothing to undo.
   */
  record(ctx: FaultContext, request: FaultRequest): Promise<Static<S> | undefined>;
  /** Idempotent: a fault already healed, or never applied, heals too. Resolves with what was done. */
  heal(ctx: HealContext, node: string, record: Static<S>): Promise<string>;
  /** What of the fault the node shows now; null when nothing. Throws when it cannot tell. */
  inForce(ctx: HealContext, node: string, record: Static<S>): Promise<string | null>;
}

/** A role `lab chaos` targets, resolved to a node only when the fault is injected (targets.ts: resolveRole). */
export const CHAOS_ROLES = ['leader', 'replica', 'any'] as const;
export type ChaosRole = (typeof CHAOS_ROLES)[number];

/** What the chaos schedule (chaos/schedule.ts) may draw for a fault. */
export interface ChaosTraits {
  /** The roles it may be aimed at. */
  roles: readonly ChaosRole[];
  /** The services it may act on, one drawn per injection; absent when it takes none. */
  services?: readonly Service[];
  /** How long it is held before its heal, in ms: [shortest, longest]. */
  holdMs: readonly [number, number];
  /** Whether it may be in force together with other faults (when the run allows overlaps at all). */
  overlap: boolean;
}

export interface FaultDefinition<S extends TSchema = TSchema> {
  name: string;
  describe: string;
  /** Services the fault accepts in `service:`; absent when it takes none. */
  services?: readonly Service[];
  /** Whether `to:` (a candidate node, or the other end of a link) is required, optional or not accepted. */
  to?: 'required' | 'optional';
  /** The step's `with:` parameters, each with its default; absent when the fault takes none. */
  params?: TObject;
  /** A kernel or provider mechanism the fault needs (cluster/fault-mechanisms.ts); the run checks it before the first step. */
  needs?: Mechanism;
  /** Applies the fault; `record` is what undo.record() decided. Resolves with what was done. */
  inject(ctx: FaultContext, request: FaultRequest, record: Static<S> | undefined): Promise<string>;
  /** Absent for faults that leave nothing to undo (switchover, failover). */
  undo?: Undo<S>;
  /** Absent: `lab chaos` never schedules it. */
  chaos?: ChaosTraits;
}

/** Keeps each definition's record type its own while FAULTS holds them all. */
export const fault = <S extends TSchema>(definition: FaultDefinition<S>): FaultDefinition =>
  definition as unknown as FaultDefinition;

/** A command line as an error message quotes it: a script passed as an argument can be pages long. */
const shortened = (line: string, max = 200): string => (line.length > max ? `${line.slice(0, max)}…` : line);

export async function run(ctx: HealContext, node: string, argv: string[]): Promise<string> {
  const r = await ctx.provider.exec(node, argv, { timeoutMs: 30_000 });
  if (r.exitCode !== 0)
    throw new LabError(`${node}: \`${shortened(argv.join(' '))}\` failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/** A fault's `with:` parameters with every default filled in; undefined for a fault that takes none. Pure. */
export function defaultParams(
  def: Pick<FaultDefinition, 'params'>,
  given: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  return def.params ? (Value.Default(def.params, structuredClone(given)) as Record<string, unknown>) : undefined;
}
