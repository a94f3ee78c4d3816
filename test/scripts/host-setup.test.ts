/**
 * scripts/host-setup.sh holds the one list of external tools. These tests keep it complete: every
 * program the sources spawn and every command the README's shell blocks run must be in it, so a tool
 * that a test needs cannot be installed by hand on one machine and be missing on a fresh one.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { HOST_SETUP, missingTools, requireTools, ROOT } from '../helpers.js';

/** tool -> source (a Debian package, essential, prerequisite or vm-host), from `host-setup.sh --list`. */
function toolTable(): Map<string, string> {
  const r = spawnSync('bash', [HOST_SETUP, '--list'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`host-setup.sh --list: ${r.stderr}`);
  return new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
}

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/**
 * The programs a TypeScript source runs: the first argument of the child_process and execa calls,
 * the tools it asks requireTools for, and argv lists of a tool and --version (lab doctor's probes).
 */
function spawnedPrograms(source: string): string[] {
  const q = `['"\`]`;
  const patterns = [
    new RegExp(`\\b(?:execa|execaSync|spawn|spawnSync|execFile|execFileSync)\\(\\s*${q}([^'"\`\\s]+)${q}`, 'g'),
    new RegExp(`\\b(?:exec|execSync)\\(\\s*${q}([^'"\`\\s]+)`, 'g'),
    new RegExp(`\\[\\s*${q}([^'"\`\\s]+)${q}\\s*,\\s*${q}--version${q}\\s*\\]`, 'g'),
  ];
  const found = patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!));
  for (const call of source.matchAll(/\brequireTools\(([^)]*)\)/g)) {
    found.push(...[...call[1]!.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]!));
  }
  return found;
}

/** Our own CLI (`npm link` puts it on the PATH) and shell builtins: nothing to install. */
const NOT_PROGRAMS = new Set(['lab', 'cd']);

/** The first word of every command in the ```sh blocks of a Markdown file. */
function readmeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return (
    blocks
      // A line ending in a backslash goes on on the next one.
      .flatMap((b) => b.replace(/\\\n/g, ' ').split('\n'))
      // A quoted string is one word, whatever spaces or pipes it holds.
      .map((line) => line.replace(/'[^']*'|"[^"]*"/g, 'QUOTED').replace(/(^|\s)#.*$/, ''))
      .flatMap((line) => line.split(/&&|\|\||[|;]/))
      // The program is the first word that is not a variable set for it (`LAB_FILE=x bash job.sh`).
      .map(
        (command) =>
          command
            .trim()
            // A subshell's parenthesis is the shell's, not the program's.
            .replace(/^\(\s*/, '')
            .split(/\s+/)
            .find((word) => !/^[A-Za-z_]\w*=/.test(word)) ?? '',
      )
      .filter((word) => word && !NOT_PROGRAMS.has(word))
  );
}

const table = toolTable();
const sources = ['lab', 'bench', 'test'].flatMap(tsFiles);
// The examples below name only tools in the table, so scanning this file too adds nothing false.
const THIS_FILE = path.join('test', 'scripts', 'host-setup.test.ts');
const docs = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).map((f) => path.join('docs', f))].filter((f) =>
  f.endsWith('.md'),
);

/** program -> the files that run it */
const used = new Map<string, Set<string>>();
for (const file of sources)
  for (const p of spawnedPrograms(readFileSync(path.join(ROOT, file), 'utf8'))) used.set(p, (used.get(p) ?? new Set()).add(file));
for (const file of docs)
  for (const p of readmeCommands(readFileSync(path.join(ROOT, file), 'utf8'))) used.set(p, (used.get(p) ?? new Set()).add(file));

t.test('the scanners find what they are meant to', async (t) => {
  t.same(
    spawnedPrograms(
      `execa('vagrant', args); spawnSync("bash", ['-n']); version(['virsh', '--version']); requireTools('tar', 'npm')`,
    ),
    ['vagrant', 'bash', 'virsh', 'tar', 'npm'],
  );
  t.same(
    readmeCommands(
      '```sh\nbash x.sh && npm ci   # then `lab` | not\ncd d && vagrant up | docker x\n```\n```yaml\nname: x\n```\n',
    ),
    ['bash', 'npm', 'vagrant', 'docker'],
  );
  t.same(
    readmeCommands('```sh\nA=1 B="x | y z" \\\n  bash job.sh\n(cd d && vagrant up)\n```\n'),
    ['bash', 'vagrant'],
    'variables set for a command, quoted, over a continued line; a subshell',
  );
});

t.test('every program the sources and the README run is in host-setup.sh', async (t) => {
  for (const program of ['vagrant', 'docker', 'shellcheck', 'patroni', 'debootstrap', 'npm']) {
    t.ok(
      [...(used.get(program) ?? [])].some((f) => f !== THIS_FILE),
      `the scan finds ${program} in the sources or the README`,
    );
  }
  for (const [program, files] of used) {
    t.ok(
      table.has(program),
      `${program} (run by ${[...files].join(', ')}) is in host-setup.sh's table: add it with its Debian package`,
    );
  }
});

t.test('every tool in the table is one the sources or the README run', async (t) => {
  const unused = [...table.keys()].filter((tool) => !used.has(tool));
  t.same(
    unused,
    [],
    'no stale entries (dockerd: host-setup.sh starts it, and the workshop test asks for it: scripts/engine2.sh runs a second engine)',
  );
});

/** The package that owns a program on the PATH (merged /usr: dpkg may know it under /bin or /sbin). */
function owningPackage(program: string): string | undefined {
  const paths = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => `${d}/${program}`);
  const r = spawnSync('dpkg-query', ['--search', ...paths], { encoding: 'utf8' });
  return /^([^:\s]+)(?::\w+)?: /m.exec(r.stdout)?.[1];
}

t.test("tools marked essential come with Debian's essential set", requireTools('dpkg-query'), async (t) => {
  for (const [tool, source] of table) {
    if (source !== 'essential') continue;
    const pkg = owningPackage(tool);
    t.ok(pkg, `${tool} belongs to a package`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format, not a template
    const r = spawnSync('dpkg-query', ['--show', '--showformat=${Essential}', pkg ?? '-'], { encoding: 'utf8' });
    t.equal(r.stdout, 'yes', `${tool}: package ${pkg} is Essential`);
  }
});

t.test(
  'every tool this machine needs is there',
  { skip: process.env.CI ? false : 'only in CI, after scripts/host-setup.sh' },
  async (t) => {
    t.same(missingTools([...table.keys()]), [], 'host-setup.sh --check finds them all');
  },
);
