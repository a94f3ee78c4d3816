/** `lab workshop init|up|status|reset|down|handout`: a class of isolated seats across Docker engines. */
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Argv, CommandModule } from 'yargs';
import { formatSeconds } from '../clock.js';
import { ExitCode, LabError } from '../errors.js';
import { progressPrinter } from '../report/progress.js';
import { renderIndex, renderSeatHandout, type HandoutSeat } from '../workshop/handout.js';
import { sampleWorkshopYaml } from '../workshop/sample.js';
import { seatDir, seatPassword, seatSpec } from '../workshop/seat.js';
import { workshopFromDir, workshopFromFile, workshopSavedOrPlanned, type Workshop } from '../workshop/directory.js';
import { downWorkshop } from '../workshop/down.js';
import { resetWorkshopSeat } from '../workshop/reset.js';
import { workshopStatus } from '../workshop/status.js';
import { formatWorkshopStatus } from '../workshop/status-table.js';
import { upWorkshop } from '../workshop/up.js';
import { interruptible } from './up.js';
import { USAGE } from './usage.js';

interface WorkshopArgs {
  workshop: string;
  dir?: string;
}

const fromDir = (args: WorkshopArgs): Promise<Workshop> => workshopFromDir(args.workshop, args.dir);

const init: CommandModule<WorkshopArgs, WorkshopArgs & { force: boolean }> = {
  command: 'init',
  describe: 'Write a commented workshop.yaml',
  builder: (y) => y.option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing file' }) as never,
  handler: async (args) => {
    if (
      !args.force &&
      (await access(args.workshop).then(
        () => true,
        () => false,
      ))
    ) {
      throw new LabError(
        `${args.workshop} already exists`,
        ExitCode.badInput,
        'pass --force to overwrite it, or -w to name another file',
      );
    }
    await writeFile(args.workshop, sampleWorkshopYaml());
    process.stdout.write(`wrote ${args.workshop}: 3 seats at stage packages on the local engine. Next: lab workshop up\n`);
  },
};

const up: CommandModule<WorkshopArgs, WorkshopArgs> = {
  command: 'up',
  describe:
    'Bring every seat up to its stage (a second run keeps seats as they are), with the isolation rules and an ssh entry each',
  handler: async (args) => {
    const { workshop, warnings } = await workshopFromFile(args.workshop, args.dir);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const started = Date.now();
    const outcomes = await interruptible(
      'lab workshop up',
      'run `lab workshop down` to remove what was created, or `lab workshop up` to finish it',
      (signal) => upWorkshop(workshop, { signal, onProgress: progressPrinter() }),
    );
    const failed = outcomes.filter((o) => !o.ok);
    process.stdout.write(
      `${outcomes.length - failed.length} of ${outcomes.length} seats ready (${formatSeconds(Date.now() - started)}); handouts: lab workshop handout\n`,
    );
    if (failed.length > 0)
      throw new LabError(
        `seats failed: ${failed.map((f) => `${f.seat}: ${f.detail}`).join('; ')}`,
        ExitCode.infrastructure,
        "see the seat's logs in workshops/<name>/seats/<seat>/logs, then run `lab workshop up` again",
      );
  },
};

const status: CommandModule<WorkshopArgs, WorkshopArgs & { json: boolean }> = {
  command: 'status',
  describe: 'Every seat: nodes up, healthy, checkpoints reached, time since its last change; exit 1 when isolation is broken',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (args) => {
    const result = await workshopStatus(await fromDir(args));
    process.stdout.write(args.json ? JSON.stringify(result, null, 2) + '\n' : formatWorkshopStatus(result));
    if (result.isolation.length > 0) process.exitCode = ExitCode.checkFailed;
  },
};

/** Whether a reset goes ahead: --yes, or a yes at the terminal; with no terminal to ask, it is refused. Pure. */
export function resetConsent(yes: boolean, terminal: boolean): 'go' | 'ask' | 'refuse' {
  return yes ? 'go' : terminal ? 'ask' : 'refuse';
}

/** Asks on the terminal; true only for an answer that starts with y. */
async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

const reset: CommandModule<WorkshopArgs, WorkshopArgs & { seat: string; yes: boolean }> = {
  command: 'reset <seat>',
  describe: "Return one seat to its starting stage from its snapshot images (the attendee's work is lost: it asks first)",
  builder: (y) =>
    y
      .positional('seat', { type: 'string', demandOption: true, describe: 'The seat: s02, 2 or <workshop>-s02' })
      .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Do not ask for confirmation' }) as never,
  handler: async (args) => {
    // The workshop first: a missing one is said before anything is asked.
    const ws = await fromDir(args);
    const lost = `seat ${args.seat}'s nodes are made again from its snapshot: everything its attendee did since is lost`;
    const consent = resetConsent(args.yes, Boolean(process.stdin.isTTY && process.stdout.isTTY));
    if (consent === 'refuse')
      throw new LabError(
        `not resetting: ${lost}, and there is no terminal to ask`,
        ExitCode.badInput,
        `confirm with \`lab workshop reset ${args.seat} --yes\``,
      );
    if (consent === 'ask' && !(await confirmed(`${lost}. Reset it? [y/N] `))) {
      process.stdout.write(`seat ${args.seat} left as it is\n`);
      return;
    }
    const { ms } = await interruptible(
      'lab workshop reset',
      `run \`lab workshop reset ${args.seat} --yes\` again`,
      async (signal) => resetWorkshopSeat(ws, args.seat, { signal, onProgress: progressPrinter() }),
    );
    process.stdout.write(`seat ${args.seat} is back at its starting stage (${formatSeconds(ms)})\n`);
  },
};

const down: CommandModule<WorkshopArgs, WorkshopArgs> = {
  command: 'down',
  describe: 'Remove every seat on every engine (by label) and the isolation rules, also when the workshop directory is gone',
  handler: async (args) => {
    const { removed, left } = await downWorkshop(await workshopSavedOrPlanned(args.workshop, args.dir));
    process.stdout.write(`${removed.length ? removed.map((r) => `removed ${r}`).join('\n') : 'nothing to remove'}\n`);
    if (left.length > 0)
      throw new LabError(
        `still labelled after down: ${left.join(', ')}`,
        ExitCode.infrastructure,
        'run `lab workshop down` again',
      );
  },
};

/** Handout data for every seat brought up (it has a password). */
/** Every planned seat's page: its address and port come from the plan, its password is made once and kept (seatPassword). */
export async function handoutSeats(ws: Workshop): Promise<HandoutSeat[]> {
  const seats: HandoutSeat[] = [];
  for (const plan of ws.plan) {
    seats.push({
      id: plan.id,
      workshop: ws.spec.name,
      stage: ws.spec.stage,
      engine: plan.engine,
      host: ws.spec.publishAddress,
      port: plan.sshPort,
      password: await seatPassword(seatDir(ws.dir, plan)),
      spec: seatSpec(ws.spec, plan),
    });
  }
  return seats;
}

const handout: CommandModule<WorkshopArgs, WorkshopArgs & { out?: string }> = {
  command: 'handout',
  describe: 'Write one page per seat (Markdown and HTML) and an index for the trainer; before `up` too, from workshop.yaml',
  builder: (y) => y.option('out', { type: 'string', describe: 'Directory (default: <workshop dir>/handouts)' }) as never,
  handler: async (args) => {
    // Before the first up there is no workshop directory yet: the plan comes from workshop.yaml.
    const ws = await workshopSavedOrPlanned(args.workshop, args.dir);
    const seats = await handoutSeats(ws);
    const out = path.resolve(args.out ?? path.join(ws.dir, 'handouts'));
    await mkdir(out, { recursive: true });
    for (const seat of seats) {
      const page = renderSeatHandout(seat);
      // Owner-only: the pages carry the seats' passwords.
      await writeFile(path.join(out, `${seat.id}.md`), page.markdown, { mode: 0o600 });
      await writeFile(path.join(out, `${seat.id}.html`), page.html, { mode: 0o600 });
    }
    const index = renderIndex(ws.spec.name, seats);
    await writeFile(path.join(out, 'index.md'), index.markdown, { mode: 0o600 });
    await writeFile(path.join(out, 'index.html'), index.html, { mode: 0o600 });
    process.stdout.write(`wrote ${seats.length} seat pages and the index to ${path.relative(process.cwd(), out) || '.'}\n`);
  },
};

export const workshopCommand: CommandModule<object, WorkshopArgs> = {
  ...USAGE.workshop,
  builder: (y: Argv) =>
    y
      .option('workshop', { alias: 'w', type: 'string', default: 'workshop.yaml', describe: 'The workshop description' })
      .command([init, up, status, reset, down, handout] as CommandModule<WorkshopArgs, never>[])
      .demandCommand(1, 'Name a workshop command; see `lab workshop --help`.') as never,
  handler: () => undefined,
};
