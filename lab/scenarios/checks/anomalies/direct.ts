/**
 * The anomalies read straight off single reads, without the graph: G1a (aborted read: a read saw a
 * value appended by a transaction that failed), G1b (intermediate read: a read ended with a value
 * its writer followed with another append to the same key, so the reader saw a state that writer
 * never committed), and lost appends (acknowledged before a key's last read began, yet missing from
 * it). Pure.
 */
import type { Txn } from './txns.js';
import type { KeyRead, VersionOrders } from './versions.js';

export interface DirtyRead {
  read: KeyRead;
  writer: Txn;
  value: number;
}

export interface LostAppend {
  writer: Txn;
  key: number;
  value: number;
  /** The key's last read, which began after the append was acknowledged and lacks it. */
  read: KeyRead;
}

export function abortedReads(orders: VersionOrders): DirtyRead[] {
  const found: DirtyRead[] = [];
  for (const read of orders.reads) {
    const writers = orders.writer.get(read.key);
    for (const value of read.list) {
      const writer = writers?.get(value);
      if (writer?.type === 'fail') found.push({ read, writer, value });
    }
  }
  return found;
}

export function intermediateReads(orders: VersionOrders): DirtyRead[] {
  const found: DirtyRead[] = [];
  for (const read of orders.reads) {
    const value = read.list[read.list.length - 1];
    if (value === undefined) continue;
    const writer = orders.writer.get(read.key)?.get(value);
    if (!writer || writer === read.txn) continue;
    const mine = writer.ops.filter((op) => op[0] === 'append' && op[1] === read.key).map((op) => op[2]);
    if (mine.indexOf(value) < mine.length - 1) found.push({ read, writer, value });
  }
  return found;
}

export function lostAppends(txns: readonly Txn[], orders: VersionOrders): LostAppend[] {
  const last = new Map<number, KeyRead>();
  for (const read of orders.reads) {
    const seen = last.get(read.key);
    if (!seen || read.txn.invokedAt > seen.txn.invokedAt) last.set(read.key, read);
  }
  const lost: LostAppend[] = [];
  const seenIn = new Map<KeyRead, Set<number>>();
  for (const writer of txns) {
    if (writer.type !== 'ok') continue;
    for (const op of writer.ops) {
      if (op[0] !== 'append') continue;
      const read = last.get(op[1]);
      if (!read || read.txn === writer || (writer.completedAt as number) >= read.txn.invokedAt) continue;
      let values = seenIn.get(read);
      if (!values) seenIn.set(read, (values = new Set(read.list)));
      if (!values.has(op[2])) lost.push({ writer, key: op[1], value: op[2], read });
    }
  }
  return lost;
}
