/**
 * Parsers for `vagrant ... --machine-readable` output (lines `timestamp,target,type,data...`),
 * kept pure so they are unit-tested without VMs.
 */

export interface MachineReadableLine {
  target: string;
  type: string;
  data: string[];
}

/** Vagrant escapes commas in data as `%!(VAGRANT_COMMA)` and newlines as `\n`. */
function unescape(field: string): string {
  return field.replace(/%!\(VAGRANT_COMMA\)/g, ',').replace(/\\n/g, '\n');
}

export function parseMachineReadable(text: string): MachineReadableLine[] {
  return text
    .split('\n')
    .filter((line) => /^\d+,/.test(line))
    .map((line) => {
      const [, target = '', type = '', ...data] = line.split(',');
      return { target, type, data: data.map(unescape) };
    });
}

/** Machine name -> state (`running`, `poweroff`, `not_created`, `shutoff`, ...). */
export function parseStatus(text: string): Map<string, string> {
  return new Map(parseMachineReadable(text).filter((l) => l.type === 'state').map((l) => [l.target, l.data[0] ?? 'unknown']));
}

/** Guest port -> host port from `vagrant port NODE --machine-readable`. */
export function parsePorts(text: string): Map<number, number> {
  return new Map(
    parseMachineReadable(text)
      .filter((l) => l.type === 'forwarded_port')
      .map((l) => [Number(l.data[0]), Number(l.data[1])]),
  );
}

/** Quotes argv for the remote shell `vagrant ssh -c` runs, then runs it as root. */
export function remoteCommand(argv: string[]): string {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return `sudo -n ${quoted}`;
}
