/**
 * Faults in the lab's journal (labdir/fault-journal.ts), handled from their entries alone: healing
 * them (the engine, `lab heal`, `lab up`), saying what a node still shows of each (`lab status`), and
 * refusing to start a run over them.
 */
import { Value } from '@sinclair/typebox/value';
import { ConnectionLostError, ExitCode, LabError } from '../../errors.js';
import { runAlive, type Journal, type JournalEntry } from '../../labdir/fault-journal.js';
import { FAULTS, type HealContext } from './registry.js';

/** The command that heals what a run left behind, ready to paste: every message naming a journaled fault gives it. Pure. */
export function healCommandLine(dir: string): string {
  return `lab heal -d ${/^[\w@%+=:,./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`}`;
}

/** "stop-service etcd on node1 (scenario etcd-down, run 20261126-ab12cd, pid 4242, since 2026-11-26T12:00:03.000Z)". Pure. */
export function describeEntry(entry: JournalEntry): string {
  return `${entry.fault}${entry.service ? ` ${entry.service}` : ''} on ${entry.node} (scenario ${entry.run.scenario}, run ${entry.run.id}, pid ${entry.run.pid}, since ${entry.at})`;
}

export interface HealOutcome {
  entry: JournalEntry;
  ok: boolean;
  detail: string;
}

/** Heals one journaled fault with its definition's heal; never throws. */
export async function healEntry(ctx: HealContext, entry: JournalEntry): Promise<HealOutcome> {
  const undo = FAULTS[entry.fault]?.undo;
  if (!undo)
    return { entry, ok: false, detail: `no fault named ${entry.fault} has a heal (was it journaled by another version of lab?)` };
  if (!Value.Check(undo.schema, entry.record))
    return {
      entry,
      ok: false,
      detail: `the journaled record ${JSON.stringify(entry.record)} is not what the heal of ${entry.fault} needs`,
    };
  const attempt = async (): Promise<HealOutcome> => ({ entry, ok: true, detail: await undo.heal(ctx, entry.node, entry.record) });
  try {
    // Every heal may run again: one whose link to the node dropped under it is sent once more, on a new link.
    return await attempt().catch((e: unknown) => {
      if (e instanceof ConnectionLostError) return attempt();
      throw e;
    });
  } catch (e) {
    return { entry, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

/** Heals one journaled fault and, once it is healed, forgets it; never throws. */
export async function healAndForget(journal: Journal, ctx: HealContext, entry: JournalEntry): Promise<HealOutcome> {
  const outcome = await healEntry(ctx, entry);
  if (!outcome.ok) return outcome;
  try {
    await journal.remove(entry.id);
    return outcome;
  } catch (e) {
    return {
      ...outcome,
      ok: false,
      detail: `${outcome.detail}, but ${journal.file} could not be updated: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** Entries whose run is still going: that run heals them itself, and nobody else should. */
export const liveEntries = (entries: readonly JournalEntry[], alive = runAlive): JournalEntry[] =>
  entries.filter((e) => alive(e.run));

function scenarioRunning(live: JournalEntry[], what: string, orElse = ''): LabError {
  const runs = [...new Map(live.map((e) => [e.run.id, e.run])).values()];
  return new LabError(
    `${what}: another scenario is running on this lab (${runs.map((r) => `${r.scenario}, run ${r.id}, pid ${r.pid}`).join('; ')}) with a fault in force`,
    ExitCode.infrastructure,
    `wait for it to end, or stop it with Ctrl-C (it heals its faults on the way out)${orElse}`,
  );
}

/**
 * A scenario starts only on a lab with no fault in force: its checks would judge the old fault, and
 * its `wait: healthy` would time out. Throws, with the command that heals them.
 */
export async function refuseOverJournaledFaults(journal: Journal, what: string): Promise<void> {
  const entries = await journal.entries();
  if (entries.length === 0) return;
  const live = liveEntries(entries);
  if (live.length > 0) throw scenarioRunning(live, what);
  throw new LabError(
    `${what}: ${entries.length} fault(s) left in force by a scenario that did not finish (journal ${journal.file}):\n${entries.map((e) => `  - ${describeEntry(e)}`).join('\n')}`,
    ExitCode.infrastructure,
    `run \`${healCommandLine(journal.dir)}\``,
  );
}

export interface HealJournaledOptions {
  /** Heal the faults of a run that still goes, too. */
  force?: boolean;
  onOutcome?: (outcome: HealOutcome) => void;
}

/**
 * Heals every journaled fault, newest first (the order the engine heals in), forgetting each one that
 * healed. Refuses, unless forced, while the run that injected one still goes.
 */
export async function healJournaled(
  journal: Journal,
  ctx: HealContext,
  options: HealJournaledOptions = {},
): Promise<HealOutcome[]> {
  const entries = await journal.entries();
  const live = liveEntries(entries);
  if (live.length > 0 && !options.force)
    throw scenarioRunning(live, 'not healing', '; or heal them anyway with `lab heal --force`');
  const outcomes: HealOutcome[] = [];
  for (const entry of [...entries].reverse()) {
    const outcome = await healAndForget(journal, ctx, entry);
    options.onOutcome?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}

/** What the node shows of a journaled fault now, in words; never throws. */
export async function inForce(ctx: HealContext, entry: JournalEntry): Promise<string> {
  const undo = FAULTS[entry.fault]?.undo;
  if (!undo || !Value.Check(undo.schema, entry.record)) return 'cannot tell: not a fault this version of lab heals';
  try {
    const seen = await undo.inForce(ctx, entry.node, entry.record);
    return seen === null ? 'nothing of it seen on the node any more' : `still in force: ${seen}`;
  } catch (e) {
    return `cannot tell: ${e instanceof Error ? e.message : String(e)}`;
  }
}
