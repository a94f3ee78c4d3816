/**
 * Anomalies in words, as Elle explains them: which transaction did what to which key, why that puts
 * one before another, and the transactions themselves with their process, path and times. Pure.
 */
import { formatSeconds } from '../../../clock.js';
import type { MicroOp } from '../../history/history.js';
import type { Cycle } from './cycles.js';
import type { DirtyRead, LostAppend } from './direct.js';
import { PROCESS, REALTIME, RW, WR, WW } from './graph.js';
import type { Txn } from './txns.js';
import { fitsOrder, type KeyRead, type VersionOrders } from './versions.js';

const name = (t: Txn): string => `T${t.index}`;

const list = (l: readonly number[] | null): string => (l === null ? 'nil' : `[${l.join(' ')}]`);

const microOp = (op: MicroOp): string => (op[0] === 'append' ? `[append ${op[1]} ${op[2]}]` : `[r ${op[1]} ${list(op[2])}]`);

const at = (t: number | null): string => (t === null ? 'never answered' : formatSeconds(t));

/** "T3: process 2 through haproxy, 1.2 s to 1.3 s, ok: [append 4 3] [r 5 [1 2]]". */
export function describeTxn(t: Txn): string {
  return `${name(t)}: process ${t.process} through ${t.path}, ${formatSeconds(t.invokedAt)} to ${at(t.completedAt)}, ${t.type}: ${t.ops.map(microOp).join(' ')}`;
}

function appends(t: Txn): [number, number][] {
  return t.ops.flatMap((op) => (op[0] === 'append' ? [[op[1], op[2]] as [number, number]] : []));
}

function readsOf(orders: VersionOrders, t: Txn): KeyRead[] {
  return orders.reads.filter((r) => r.txn === t);
}

/** Why `a` comes before `b` by an edge of `kind`. */
export function explainEdge(orders: VersionOrders, txns: readonly Txn[], a: number, b: number, kind: number): string {
  const [ta, tb] = [txns[a]!, txns[b]!];
  if (kind === WW)
    for (const [key, value] of appends(ta)) {
      const next = orders.order.get(key)?.[(orders.position.get(key)?.get(value) ?? -2) + 1];
      if (next !== undefined && orders.writer.get(key)?.get(next) === tb)
        return `${name(ta)} appended ${value} to key ${key}, and ${name(tb)} appended ${next} right after it (ww)`;
    }
  if (kind === WR)
    for (const read of readsOf(orders, tb)) {
      const last = read.list[read.list.length - 1];
      if (last !== undefined && orders.writer.get(read.key)?.get(last) === ta)
        return `${name(tb)} read key ${read.key} as ${list(read.list)}, ending with ${name(ta)}'s append of ${last} (wr)`;
    }
  if (kind === RW)
    for (const read of readsOf(orders, ta)) {
      const next = fitsOrder(orders, read) ? orders.order.get(read.key)?.[read.list.length] : undefined;
      if (next !== undefined && orders.writer.get(read.key)?.get(next) === tb)
        return `${name(ta)} read key ${read.key} as ${list(read.list)}, without ${name(tb)}'s append of ${next} that came next (rw)`;
    }
  if (kind === PROCESS) return `${name(ta)} completed before process ${tb.process} invoked ${name(tb)} (process)`;
  if (kind === REALTIME)
    return `${name(ta)} completed at ${at(ta.completedAt)}, before ${name(tb)} was invoked at ${formatSeconds(tb.invokedAt)} (realtime)`;
  return `${name(ta)} precedes ${name(tb)}`;
}

export function explainCycle(cycle: Cycle, orders: VersionOrders, txns: readonly Txn[]): string[] {
  const chain = cycle.txns.map((i) => name(txns[i]!)).join(' < ');
  return [
    `${cycle.name}: ${chain}, a cycle no serial order explains:`,
    ...cycle.steps.map((kind, i) => `  ${explainEdge(orders, txns, cycle.txns[i]!, cycle.txns[i + 1]!, kind)}`),
    ...cycle.txns.slice(1).map((i) => `  ${describeTxn(txns[i]!)}`),
  ];
}

export function explainAborted(d: DirtyRead): string[] {
  return [
    `G1a: ${name(d.read.txn)} read key ${d.read.key} as ${list(d.read.list)}, with ${d.value}, appended by ${name(d.writer)}, which failed (aborted read):`,
    `  ${describeTxn(d.read.txn)}`,
    `  ${describeTxn(d.writer)}`,
  ];
}

export function explainIntermediate(d: DirtyRead): string[] {
  return [
    `G1b: ${name(d.read.txn)} read key ${d.read.key} as ${list(d.read.list)}, ending with ${d.value}, but ${name(d.writer)} appended more to key ${d.read.key} after ${d.value} (intermediate read):`,
    `  ${describeTxn(d.read.txn)}`,
    `  ${describeTxn(d.writer)}`,
  ];
}

export function explainLost(l: LostAppend): string[] {
  return [
    `lost: ${name(l.writer)} appended ${l.value} to key ${l.key}, acknowledged at ${at(l.writer.completedAt)}; ${name(l.read.txn)}, the last read of key ${l.key}, began at ${formatSeconds(l.read.txn.invokedAt)} and read ${list(l.read.list)} without it:`,
    `  ${describeTxn(l.writer)}`,
    `  ${describeTxn(l.read.txn)}`,
  ];
}

export function explainIncompatible(read: KeyRead, longest: KeyRead): string[] {
  return [
    `incompatible-order: ${name(read.txn)} read key ${read.key} as ${list(read.list)} and ${name(longest.txn)} as ${list(longest.list)}; neither is a prefix of the other, so no one order of appends explains both:`,
    `  ${describeTxn(read.txn)}`,
    `  ${describeTxn(longest.txn)}`,
  ];
}

export function explainDuplicate(read: KeyRead, value: number): string[] {
  return [
    `duplicate: ${name(read.txn)} read key ${read.key} as ${list(read.list)}, with ${value} more than once, though each value was appended once:`,
    `  ${describeTxn(read.txn)}`,
  ];
}
