/**
 * The list-append checker from end to end: transactions, version orders, the direct anomalies, the
 * dependency graph and its cycles, each anomaly with its class and its explanation. Pure.
 */
import type { History } from '../../history/history.js';
import { findCycles } from './cycles.js';
import { abortedReads, intermediateReads, lostAppends } from './direct.js';
import {
  explainAborted,
  explainCycle,
  explainDuplicate,
  explainIncompatible,
  explainIntermediate,
  explainLost,
} from './explain.js';
import { dependencyGraph } from './graph.js';
import { MODELS, type AnomalyClass, type ModelName } from './models.js';
import { transactions } from './txns.js';
import { versionOrders } from './versions.js';

export interface Anomaly {
  /** As Elle names it: G-single-realtime's class is G-single. */
  name: string;
  class: AnomalyClass;
  /** Its explanation, first line the claim, then the transactions. */
  lines: string[];
}

export interface Analysis {
  model: ModelName;
  transactions: { ok: number; fail: number; info: number };
  anomalies: Anomaly[];
}

/** Explaining is the slow part; a history with thousands of one anomaly needs only the first few explained. */
export const EXPLAINED_PER_CLASS = 5;

export function analyse(history: History, model: ModelName): Analysis {
  const txns = transactions(history);
  const orders = versionOrders(txns);
  const anomalies: Anomaly[] = [];
  const counted = new Map<string, number>();
  const add = (name: string, cls: AnomalyClass, explain: () => string[]) => {
    const n = (counted.get(name) ?? 0) + 1;
    counted.set(name, n);
    anomalies.push({ name, class: cls, lines: n <= EXPLAINED_PER_CLASS ? explain() : [] });
  };
  for (const { read, longest } of orders.incompatible)
    add('incompatible-order', 'incompatible-order', () => explainIncompatible(read, longest));
  for (const { read, value } of orders.duplicates) add('duplicate', 'duplicate', () => explainDuplicate(read, value));
  for (const l of lostAppends(txns, orders)) add('lost', 'lost', () => explainLost(l));
  for (const d of abortedReads(orders)) add('G1a', 'G1a', () => explainAborted(d));
  for (const d of intermediateReads(orders)) add('G1b', 'G1b', () => explainIntermediate(d));
  const graph = dependencyGraph(txns, orders, MODELS[model].order);
  for (const cycle of findCycles(graph, MODELS[model].order))
    add(cycle.name, cycle.base, () => explainCycle(cycle, orders, txns));
  const count = (type: string) => txns.filter((t) => t.type === type).length;
  return { model, transactions: { ok: count('ok'), fail: count('fail'), info: count('info') }, anomalies };
}
