/**
 * The run's nemesis: injects faults and heals them, recording each in the History. A fault that leaves
 * something to undo is journaled in the lab directory before it is applied and forgotten only once
 * healed, so one this process could not heal (it was killed) is still known, and healed, from there.
 */
import type { Journal, JournalEntry } from '../../labdir/fault-journal.js';
import type { FaultEvent, HealEvent, HistoryRecorder } from '../history/history.js';
import { healAndForget } from './journaled.js';
import { FAULTS, type FaultContext, type FaultRequest } from './registry.js';

/** "delayMs 200, jitterMs 50". Pure. */
export const describeParams = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');

export interface NemesisOptions {
  recorder: HistoryRecorder;
  journal: Journal;
  context: FaultContext;
  /** Who journals: a later `lab status` or `lab heal` names the run, and knows from the pid whether it still runs. */
  run: JournalEntry['run'];
}

export class Nemesis {
  /** Faults in force, as journaled: healed from the same record `lab heal` would use. */
  private readonly inForce: JournalEntry[] = [];

  constructor(private readonly o: NemesisOptions) {}

  /** The faults in force now, oldest first. */
  active(): readonly JournalEntry[] {
    return [...this.inForce];
  }

  /** Records, journals, then applies a fault; the entry is there to heal when it left something to undo. Throws when it could not be applied. */
  async inject(name: string, request: FaultRequest): Promise<{ entry?: JournalEntry; detail: string }> {
    const fault = FAULTS[name]!;
    const record = await fault.undo?.record(this.o.context, request);
    const detail = [request.service, request.to && `to ${request.to}`, request.params && describeParams(request.params)]
      .filter(Boolean)
      .join(' ');
    this.o.recorder.record<FaultEvent>({
      kind: 'fault',
      fault: name,
      node: request.node,
      detail,
      ...(request.params ? { params: request.params } : {}),
      ...(record !== undefined ? { journaled: true } : {}),
    });
    // Journaled, and healed in the run's `finally`, before it is applied: it may be half-applied when this stops.
    let entry: JournalEntry | undefined;
    if (record !== undefined) {
      entry = await this.o.journal.add({
        fault: name,
        node: request.node,
        ...(request.service ? { service: request.service } : {}),
        record: record as Record<string, unknown>,
        run: this.o.run,
      });
      this.inForce.push(entry);
    }
    return { ...(entry ? { entry } : {}), detail: await fault.inject(this.o.context, request, record) };
  }

  /** Heals the given faults in force, newest first, recording each; never throws. */
  async heal(faults: readonly JournalEntry[]): Promise<HealEvent[]> {
    const events: HealEvent[] = [];
    for (const a of [...faults].reverse()) {
      const { ok, detail } = await healAndForget(this.o.journal, this.o.context, a);
      this.inForce.splice(this.inForce.indexOf(a), 1);
      events.push(this.o.recorder.record<HealEvent>({ kind: 'heal', fault: a.fault, node: a.node, ok, detail }));
    }
    return events;
  }

  /** Heals every fault still in force: what a run does in `finally`, whatever happened. */
  healAll(): Promise<HealEvent[]> {
    return this.heal(this.inForce);
  }

  /** Heals one fault from inject(), or records that it was healed already; never throws. */
  async healOne(entry: JournalEntry): Promise<HealEvent> {
    return (
      (await this.heal(this.inForce.includes(entry) ? [entry] : []))[0] ?? this.endHold(entry.fault, entry.node, 'healed already')
    );
  }

  /** Records the end of a fault that left nothing to undo (it has no entry): its hold is over. */
  endHold(fault: string, node: string, detail: string): HealEvent {
    return this.o.recorder.record<HealEvent>({ kind: 'heal', fault, node, ok: true, detail });
  }
}
