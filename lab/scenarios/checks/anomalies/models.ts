/**
 * The consistency models the checker judges against, each with the anomalies it forbids (Adya's
 * levels as Elle uses them) and the order edges its graph adds. PostgreSQL's repeatable read is
 * snapshot isolation, which allows G2-item (write skew) but not G-single. Lost appends, incompatible
 * orders and duplicates are forbidden by every model: no serial order has them.
 */
import type { Isolation } from '../../history/history.js';
import { PROCESS, REALTIME } from './graph.js';
import type { CycleClass } from './cycles.js';

export type ModelName =
  | 'read-committed'
  | 'snapshot-isolation'
  | 'repeatable-read'
  | 'serializable'
  | 'strong-session-serializable'
  | 'strict-serializable';

export type AnomalyClass = CycleClass | 'G1a' | 'G1b' | 'lost' | 'incompatible-order' | 'duplicate';

export interface Model {
  forbids: ReadonlySet<AnomalyClass>;
  /** Order edges (PROCESS, REALTIME bits) in its graph. */
  order: number;
}

const ALWAYS: AnomalyClass[] = ['lost', 'incompatible-order', 'duplicate', 'G0', 'G1a', 'G1b', 'G1c'];
const ALL: AnomalyClass[] = [...ALWAYS, 'G-single', 'G2-item'];

export const MODELS: Record<ModelName, Model> = {
  'read-committed': { forbids: new Set(ALWAYS), order: 0 },
  'snapshot-isolation': { forbids: new Set([...ALWAYS, 'G-single']), order: 0 },
  'repeatable-read': { forbids: new Set(ALL), order: 0 },
  serializable: { forbids: new Set(ALL), order: 0 },
  'strong-session-serializable': { forbids: new Set(ALL), order: PROCESS },
  'strict-serializable': { forbids: new Set(ALL), order: REALTIME },
};

const FOR_ISOLATION: Record<Isolation, ModelName> = {
  'read committed': 'read-committed',
  'repeatable read': 'snapshot-isolation',
  serializable: 'serializable',
};

/** The model for the isolation levels the transactions ran at: the weakest's, so nothing it allows is flagged; serializable when none is recorded. */
export function modelFor(levels: ReadonlySet<Isolation>): ModelName {
  for (const level of ['read committed', 'repeatable read', 'serializable'] as const)
    if (levels.has(level)) return FOR_ISOLATION[level];
  return 'serializable';
}
