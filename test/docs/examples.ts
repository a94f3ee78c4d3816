/**
 * Every `lab …` example a user reads: in README.md and docs/*.md (each command line of a shell code
 * block, and each inline code span that is a `lab` command) and in the commands' own help
 * (lab/commands/usage.ts). Pure: text in, examples out. example-claims.ts says, for each, where it
 * runs and what it must show; examples.test.ts fails on an example without a claim and on a claim
 * whose example is gone, so a new example cannot go untested and a stale claim cannot linger.
 */
import { USAGE } from '../../lab/commands/usage.js';

export interface Example {
  /** The command as written, whitespace collapsed: the key of its claim. */
  command: string;
  /** Where it is written: `README.md:41`, `docs/ci.md:13`, `usage.ts exec`. */
  where: string;
}

/** What follows `lab` in an example: a command's name or a global flag. */
const FIRST_WORDS = new Set<string>([...Object.keys(USAGE), '--help', '--version']);

/** `lab` followed by one of its commands: a line of prose that merely starts with the word is not one. */
function isLabCommand(text: string): boolean {
  const words = text.split(' ');
  return words[0] === 'lab' && FIRST_WORDS.has(words[1] ?? '');
}

const collapse = (text: string): string => text.trim().replace(/\s+/g, ' ');

/** The inline code spans of a line of prose (or of a shell comment), in order. */
function codeSpans(line: string): string[] {
  return [...line.matchAll(/`([^`\n]+)`/g)].map((m) => collapse(m[1]!));
}

/**
 * A shell line's commands: before its comment, split at `&&` and `;`, each without a leading `$ `
 * prompt. The comment is prose: its code spans count as inline examples.
 */
function shellLine(line: string): { commands: string[]; comment: string } {
  const hash = line.search(/(^|\s)#\s/);
  const code = hash < 0 ? line : line.slice(0, hash);
  const comment = hash < 0 ? '' : line.slice(hash);
  const commands = code
    .split(/&&|;/)
    .map((c) => collapse(c).replace(/^\$ /, ''))
    .filter(isLabCommand);
  return { commands, comment };
}

/**
 * The examples of one Markdown file. In a fenced block every line is read as shell (`sh`, `text`
 * or no language; a block that quotes a program's output still has its `lab …` lines found, and
 * the claims say what they are); `yaml` and other languages are not shell. Outside blocks, each
 * code span that is a `lab` command.
 */
export function markdownExamples(file: string, text: string): Example[] {
  const found: Example[] = [];
  let fence: string | null = null;
  for (const [i, line] of text.split('\n').entries()) {
    const where = `${file}:${i + 1}`;
    const opening = /^\s*```(\S*)/.exec(line);
    if (opening) {
      fence = fence === null ? opening[1]! : null;
      continue;
    }
    const shell = fence !== null && ['', 'sh', 'bash', 'shell', 'console', 'text'].includes(fence);
    const { commands, comment } = shell ? shellLine(line) : { commands: [], comment: fence === null ? line : '' };
    for (const command of [...commands, ...codeSpans(comment).filter(isLabCommand)]) found.push({ command, where });
  }
  return found;
}

/** The examples in the commands' help (usage.ts): a `lab …` command in parentheses or backticks of a description. */
export function usageExamples(usage: Record<string, { describe: string }> = USAGE): Example[] {
  return Object.entries(usage).flatMap(([name, { describe }]) =>
    [...describe.matchAll(/\((lab [^)]+)\)|`(lab [^`]+)`/g)]
      .map((m) => collapse(m[1] ?? m[2]!))
      .filter(isLabCommand)
      .map((command) => ({ command, where: `usage.ts ${name}` })),
  );
}

/** An example's arguments after `lab`, as a POSIX shell splits them (single and double quotes; no expansion). */
export function argvOf(command: string): string[] {
  const words = [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  if (words[0] !== 'lab') throw new Error(`not a lab command: ${command}`);
  return words.slice(1);
}

/** The command lines of the first shell block under the Markdown heading `heading`, comments dropped, in order. */
export function shellBlockUnder(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.replace(/^#+\s*/, '') === heading && l.startsWith('#'));
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const open = lines.findIndex((l, i) => i > start && /^\s*```(sh|bash)?\s*$/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^\s*```\s*$/.test(l));
  if (open < 0 || close < 0) throw new Error(`no shell block under "${heading}"`);
  return lines
    .slice(open + 1, close)
    .map((l) => collapse(l.replace(/(^|\s)#\s.*$/, '')))
    .filter((l) => l !== '');
}
