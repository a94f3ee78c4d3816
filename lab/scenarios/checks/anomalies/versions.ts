/**
 * Each key's version order, inferred from reads as Elle's list-append does: a read returns the whole
 * list, so every read of a key is a prefix of the key's final order, and the longest read is that
 * order as far as anyone saw it. Two reads of a key that are not prefixes of one another are an
 * incompatible order (no single order of appends explains both: a failover onto a replica that
 * missed appends looks like this); a value twice in a list is a duplicate. Pure.
 */
import type { Txn } from './txns.js';

/** A read of one key in one transaction. */
export interface KeyRead {
  txn: Txn;
  key: number;
  list: number[];
}

export interface VersionOrders {
  /** Per key, the longest list read: the order of its appends. */
  order: Map<number, number[]>;
  /** Per key, each value's position in `order`. */
  position: Map<number, Map<number, number>>;
  /** Per key, the transaction that appended each value (any outcome: a failed one's read is G1a). */
  writer: Map<number, Map<number, Txn>>;
  /** Every ok transaction's reads, in the order of the History. */
  reads: KeyRead[];
  /** Reads that are not a prefix of their key's order, each beside the read that gave the order. */
  incompatible: { read: KeyRead; longest: KeyRead }[];
  duplicates: { read: KeyRead; value: number }[];
}

const isPrefix = (list: readonly number[], of: readonly number[]): boolean =>
  list.length <= of.length && list.every((v, i) => of[i] === v);

function duplicateIn(list: readonly number[]): number | undefined {
  const seen = new Set<number>();
  for (const v of list) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return undefined;
}

export function versionOrders(txns: readonly Txn[]): VersionOrders {
  const writer = new Map<number, Map<number, Txn>>();
  const reads: KeyRead[] = [];
  const longest = new Map<number, KeyRead>();
  for (const txn of txns) {
    for (const op of txn.ops) {
      if (op[0] === 'append') {
        let byValue = writer.get(op[1]);
        if (!byValue) writer.set(op[1], (byValue = new Map()));
        byValue.set(op[2], txn);
      } else if (txn.type === 'ok' && op[2] !== null) {
        const read = { txn, key: op[1], list: op[2] };
        reads.push(read);
        if (read.list.length > (longest.get(read.key)?.list.length ?? -1)) longest.set(read.key, read);
      }
    }
  }
  const order = new Map([...longest].map(([key, read]) => [key, read.list]));
  const position = new Map(
    [...order].map(([key, list]) => [key, new Map(list.map((v, i) => [v, i]))] as [number, Map<number, number>]),
  );
  const incompatible: VersionOrders['incompatible'] = [];
  const duplicates: VersionOrders['duplicates'] = [];
  // Every read compatible with the longest is a prefix of it, so its duplicates are the longest's.
  for (const read of longest.values()) {
    const value = duplicateIn(read.list);
    if (value !== undefined) duplicates.push({ read, value });
  }
  for (const read of reads) {
    const full = longest.get(read.key) as KeyRead;
    if (isPrefix(read.list, full.list)) continue;
    incompatible.push({ read, longest: full });
    const value = duplicateIn(read.list);
    if (value !== undefined) duplicates.push({ read, value });
  }
  return { order, position, writer, reads, incompatible, duplicates };
}

/** Whether `read` fits its key's order (then the value after it, if any, was the next append). */
export function fitsOrder(orders: VersionOrders, read: KeyRead): boolean {
  return isPrefix(read.list, orders.order.get(read.key) ?? []);
}
