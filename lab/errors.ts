/**
 * Typed errors: each carries the exit code the CLI returns and a message a user can act on.
 * Exit codes: 1 = a check failed (scenarios), 2 = infrastructure/unknown, 3 = bad input, 4 = provider missing.
 */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  infrastructure: 2,
  badInput: 3,
  missingTool: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class LabError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.infrastructure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One problem in lab.yaml, located by its path (e.g. `nodes[2].ip`). */
export interface SpecProblem {
  path: string;
  message: string;
  line?: number;
}

export class SpecError extends LabError {
  constructor(
    readonly file: string,
    readonly problems: SpecProblem[],
  ) {
    super(
      `${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:\n` +
        problems.map((p) => `  - ${p.path || '(top level)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('\n'),
      ExitCode.badInput,
    );
  }
}

export class MissingToolError extends LabError {
  constructor(tool: string, fix: string) {
    super(`${tool} is not available`, ExitCode.missingTool, fix);
  }
}

export class InterruptedError extends LabError {
  /** remedy: what the user runs next, e.g. the command that removes what was created. */
  constructor(what: string, remedy: string) {
    super(`${what} was interrupted; ${remedy}`, ExitCode.interrupted);
  }
}

/**
 * The link to a node dropped while a command ran there (an ssh connection closed): the command's
 * outcome is unknown, and the next exec opens a new link. An idempotent command may be sent again.
 */
export class ConnectionLostError extends LabError {}
