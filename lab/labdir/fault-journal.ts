/**
 * The fault journal: every fault a scenario injects is written into the lab directory before it is
 * applied and removed once it is healed. A fault thus outlives the process that injected it (killed
 * hard by the OOM killer or a CI runner's timeout) only on paper too: `lab status` names it, `lab heal`
 * undoes it from the entry alone, and a scenario refuses to start over it. One file, replaced whole
 * (written aside, then renamed), so a reader never sees half an entry.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { ExitCode, LabError } from '../errors.js';
import { schemaProblems } from '../spec/schema-problems.js';

export const FAULT_JOURNAL_FILE = 'faults.json';

const RunSchema = Type.Object(
  {
    /** The scenario run's id (it also tags the run's rows in the writes table). */
    id: Type.String(),
    scenario: Type.String(),
    pid: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

const EntrySchema = Type.Object(
  {
    id: Type.String(),
    fault: Type.String(),
    node: Type.String(),
    /** The service the step named (stop-service etcd), as a user reads it; the heal goes by the record. */
    service: Type.Optional(Type.String()),
    /** What the fault's heal needs, as data: the process that injected it may be gone. */
    record: Type.Record(Type.String(), Type.Unknown()),
    /** When it was journaled (just before it was applied), ISO 8601. */
    at: Type.String(),
    run: RunSchema,
  },
  { additionalProperties: false },
);

const JournalSchema = Type.Object({ version: Type.Literal(1), faults: Type.Array(EntrySchema) }, { additionalProperties: false });

export type JournalRun = Static<typeof RunSchema>;
export type JournalEntry = Static<typeof EntrySchema>;
export type NewEntry = Omit<JournalEntry, 'id' | 'at'>;

/** The entries in a journal file's text, oldest first; a LabError naming each problem when it is not one. Pure. */
export function parseJournal(text: string, file: string): JournalEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw corrupt(file, [e instanceof Error ? e.message : String(e)]);
  }
  const problems = schemaProblems(JournalSchema, data);
  if (problems.length > 0)
    throw corrupt(
      file,
      problems.map((p) => `${p.path || '(top level)'}: ${p.message}`),
    );
  return (data as Static<typeof JournalSchema>).faults;
}

function corrupt(file: string, problems: string[]): LabError {
  return new LabError(
    `the fault journal ${file} is not readable:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    ExitCode.badInput,
    `it lists faults a scenario left in force; check the nodes by hand (\`lab exec\`), then remove the file`,
  );
}

/** Pure. */
export function serializeJournal(entries: readonly JournalEntry[]): string {
  return `${JSON.stringify({ version: 1, faults: entries }, null, 2)}\n`;
}

/**
 * Whether the process that journaled an entry still runs. This process's own runs count as gone: a
 * run that is over and left an entry behind (its heal failed) must not pass for a live one.
 */
export function runAlive(
  run: Pick<JournalRun, 'pid'>,
  signalZero: (pid: number) => void = (pid) => process.kill(pid, 0),
): boolean {
  if (run.pid === process.pid) return false;
  try {
    signalZero(run.pid);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a scenario run needs of a journal (the engine's unit tests keep one in memory). */
export type Journal = Pick<FaultJournal, 'entries' | 'add' | 'remove' | 'file' | 'dir'>;

export class FaultJournal {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, FAULT_JOURNAL_FILE);
  }

  /** Oldest first; empty when there is no journal file. */
  async entries(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return parseJournal(text, this.file);
  }

  async add(entry: NewEntry): Promise<JournalEntry> {
    const full: JournalEntry = { id: randomBytes(6).toString('hex'), at: new Date().toISOString(), ...entry };
    await this.write([...(await this.entries()), full]);
    return full;
  }

  async remove(id: string): Promise<void> {
    const entries = await this.entries();
    const rest = entries.filter((e) => e.id !== id);
    if (rest.length !== entries.length) await this.write(rest);
  }

  /** Forgets every entry: for `lab down`, whose machines take their faults with them. */
  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }

  /** No file at all when nothing is in force, so "no journal" and "nothing journaled" are one state. */
  private async write(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return this.clear();
    const aside = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(aside, serializeJournal(entries), { mode: 0o600 });
      await rename(aside, this.file);
    } finally {
      await rm(aside, { force: true });
    }
  }
}
