/**
 * The History's `txn` events paired into transactions, Jepsen's way: a process runs one transaction
 * at a time, so an invoke's completion is that process's next event. An invoke never completed is
 * indeterminate (`info`): the run ended while it was in flight. Pure.
 */
import type { History, Isolation, MicroOp, TxnEvent } from '../../history/history.js';

export interface Txn {
  /** Numbers the transactions in the order they were invoked, from 0 (T0, T1, ...). */
  index: number;
  process: number;
  path: string;
  type: 'ok' | 'fail' | 'info';
  invokedAt: number;
  /** null: no completion was recorded. */
  completedAt: number | null;
  /** An ok transaction's micro-operations with what its reads returned; otherwise what was asked. */
  ops: MicroOp[];
  isolation?: Isolation;
}

export function transactions(history: History): Txn[] {
  const txns: Txn[] = [];
  const open = new Map<number, Txn>();
  for (const e of history.events) {
    if (e.kind !== 'txn') continue;
    if (e.phase === 'invoke') {
      const txn: Txn = {
        index: txns.length,
        process: e.process,
        path: e.path,
        type: 'info',
        invokedAt: e.t,
        completedAt: null,
        ops: e.ops,
        ...(e.isolation ? { isolation: e.isolation } : {}),
      };
      txns.push(txn);
      open.set(e.process, txn);
      continue;
    }
    complete(open.get(e.process), e);
    open.delete(e.process);
  }
  return txns;
}

function complete(txn: Txn | undefined, e: TxnEvent): void {
  if (!txn) return;
  txn.type = e.phase === 'invoke' ? 'info' : e.phase;
  txn.completedAt = e.t;
  if (e.phase === 'ok') txn.ops = e.ops;
}
