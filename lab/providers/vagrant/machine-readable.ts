/**
 * What the vagrant CLI prints, read as data: `--machine-readable` lines (`timestamp,target,type,data...`),
 * `vagrant ssh-config`, and the progress of an `up` or `provision` as the same task events the Docker
 * provider emits. Pure, so each is unit-tested on captured output.
 */
import type { ProgressEvent } from '../provider.js';

/** Where and how to log in to one machine, as `vagrant ssh-config` says. */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  identityFile: string;
}

export interface MachineReadableLine {
  target: string;
  type: string;
  data: string[];
}

/** Vagrant escapes commas in data as `%!(VAGRANT_COMMA)` and newlines as `\n`. */
function unescapeField(field: string): string {
  return field
    .replace(/%!\(VAGRANT_COMMA\)/g, ',')
    .replace(/\\n/g, '\n')
    .replace(/\\r/g, '');
}

export function parseMachineReadableLine(line: string): MachineReadableLine | undefined {
  if (!/^\d+,/.test(line)) return undefined;
  const [, target = '', type = '', ...data] = line.split(',');
  return { target, type, data: data.map(unescapeField) };
}

export function parseMachineReadable(text: string): MachineReadableLine[] {
  return text.split('\n').flatMap((line) => parseMachineReadableLine(line) ?? []);
}

/** Machine name -> state (`running`, `poweroff`, `stopped`, `not_created`, ...). */
export function parseStatus(text: string): Map<string, string> {
  return new Map(
    parseMachineReadable(text)
      .filter((l) => l.type === 'state')
      .map((l) => [l.target, l.data[0] ?? 'unknown']),
  );
}

/** `vagrant ssh-config` (every machine, or one): Host -> where and how to log in. */
export function parseSshConfig(text: string): Map<string, SshTarget> {
  const hosts = new Map<string, SshTarget>();
  let current: Partial<SshTarget> & { name?: string } = {};
  const flush = (): void => {
    const { name, host, port, user, identityFile } = current;
    if (name && host && port && user && identityFile) hosts.set(name, { host, port, user, identityFile });
  };
  for (const raw of text.split('\n')) {
    const m = /^\s*(\S+)\s+(.*?)\s*$/.exec(raw);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.replace(/^"(.*)"$/, '$1');
    if (key === 'host') {
      flush();
      current = { name: value };
    } else if (key === 'hostname') current.host = value;
    else if (key === 'port') current.port = Number(value);
    else if (key === 'user') current.user = value;
    else if (key === 'identityfile') current.identityFile ??= value;
  }
  flush();
  return hosts;
}

/** Quotes argv for the remote shell an ssh command runs, then runs it as root. */
export function remoteCommand(argv: string[]): string {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return `sudo -n ${quoted}`;
}

/** What a machine-readable line means for the display and the logs. */
export type VagrantEffect =
  | { kind: 'progress'; event: ProgressEvent }
  | { kind: 'output'; node: string | null; task: string; text: string };

/** The task before the first provisioner: image or box, machine created and booted, ssh ready. */
export const MACHINE_TASK = 'machine';
/** Where output belongs that no machine's task owns (Vagrant's own messages). */
export const VAGRANT_TASK = 'vagrant';

/**
 * Turns `vagrant up|provision --machine-readable` into tasks per machine, named as the Docker
 * provider names them: `machine` (created and booted), then each provisioner (`10-packages`, ...).
 * Each task's output (the machine's `ui` lines, without Vagrant's `node1:` prefix) goes to it.
 */
export class VagrantProgress {
  private readonly open = new Map<string, { task: string; started: number }>();
  private lastError = '';

  constructor(private readonly now: () => number = Date.now) {}

  private begin(node: string, task: string): VagrantEffect[] {
    this.open.set(node, { task, started: this.now() });
    return [{ kind: 'progress', event: { node, task, status: 'start' } }];
  }

  private end(node: string, status: 'ok' | 'fail', output?: string): VagrantEffect[] {
    const current = this.open.get(node);
    if (!current) return [];
    this.open.delete(node);
    return [
      {
        kind: 'progress',
        event: { node, task: current.task, status, elapsedMs: this.now() - current.started, ...(output ? { output } : {}) },
      },
    ];
  }

  /** The task a machine is in now (its output goes there). */
  taskOf(node: string | null): string {
    return (node && this.open.get(node)?.task) ?? VAGRANT_TASK;
  }

  feed(line: MachineReadableLine): VagrantEffect[] {
    const node = line.target || null;
    if (line.type === 'action' && node) {
      const [action, phase] = line.data;
      if (phase === 'start' && action === 'up') return this.begin(node, MACHINE_TASK);
      if (phase === 'end') return this.end(node, 'ok');
      return [];
    }
    if (line.type === 'error-exit') {
      this.lastError = line.data[1] ?? line.data[0] ?? '';
      return [];
    }
    if (line.type !== 'ui') return [];
    const [level, message = ''] = line.data;
    if (!node && level === 'error') this.lastError = message;
    const effects: VagrantEffect[] = [];
    const provisioner = node ? /Running provisioner: (\S+)/.exec(message) : null;
    if (node && provisioner) effects.push(...this.end(node, 'ok'), ...this.begin(node, provisioner[1]!));
    const text = machineText(message, node);
    if (text) effects.push({ kind: 'output', node, task: this.taskOf(node), text });
    return effects;
  }

  /** When vagrant has exited: the tasks still open end, failed with Vagrant's error (or as interrupted) unless it succeeded. */
  finish(outcome: 'ok' | 'failed' | 'interrupted'): VagrantEffect[] {
    const nodes = [...this.open.keys()];
    if (outcome === 'ok') return nodes.flatMap((node) => this.end(node, 'ok'));
    return nodes.flatMap((node) =>
      this.end(node, 'fail', outcome === 'interrupted' ? 'interrupted' : this.lastError || 'vagrant failed'),
    );
  }

  /** Vagrant's last error message (error-exit, or a ui error of no machine). */
  get error(): string {
    return this.lastError;
  }
}

/** A `ui` message as plain lines: without the `==> node1: ` / `    node1: ` prefixes Vagrant adds to each. */
export function machineText(message: string, node: string | null): string {
  const prefix = node ? new RegExp(`^\\s*(?:==> )?${node.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ?`) : /^\s*==> /;
  return message
    .split('\n')
    .map((l) => l.replace(prefix, '').replace(/\x1b\[[0-9;]*m/g, ''))
    .join('\n')
    .trimEnd();
}
