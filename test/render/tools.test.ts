/**
 * The rendered lab checked by the real tools: `vagrant validate` on every Vagrantfile, `bash -n` and
 * shellcheck on every provisioner and env file, `patroni --validate-config` on every patroni.yml.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { renderLab } from '../../lab/render/index.js';
import { requireTools } from '../helpers.js';
import { CASES, FIXED_SECRETS, specOf, writeLab } from './helpers.js';

// One directory for everything this file writes (the labs, Vagrant's home), removed at the end.
const work = mkdtempSync(join(tmpdir(), 'pgha-render-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const labs = Object.entries(CASES).map(([name, input]) => {
  const spec = specOf(input);
  return { name, spec, dir: writeLab(renderLab(spec, FIXED_SECRETS), join(work, name)) };
});

// A libvirt Vagrantfile names the libvirt provider, which Vagrant knows only through its plugin.
t.test('vagrant validate accepts every Vagrantfile', requireTools('vagrant', 'vagrant-libvirt'), async (t) => {
  for (const lab of labs) {
    // --ignore-provider: no hypervisor runs here (neither VirtualBox nor libvirtd); the rest
    // (machines, networks, synced folders, provisioners) is validated.
    const r = spawnSync('vagrant', ['validate', '--ignore-provider'], {
      cwd: lab.dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, VAGRANT_HOME: mkdtempSync(join(work, 'vagrant-home-')), VAGRANT_CHECKPOINT_DISABLE: '1' },
    });
    t.equal(r.status, 0, `${lab.name}: vagrant validate\n${r.stdout}${r.stderr}`);
    t.match(r.stdout, /Vagrantfile validated successfully/, `${lab.name}: validated`);
    for (const node of lab.spec.nodes)
      t.match(r.stdout, new RegExp(`==> ${node.name}:`), `${lab.name}: machine ${node.name} defined`);
  }
});

t.test('provisioners pass bash -n and shellcheck', async (t) => {
  for (const lab of labs) {
    const provision = join(lab.dir, 'provision');
    const scripts = readdirSync(provision).filter((f) => f.endsWith('.sh'));
    t.same(
      scripts.sort(),
      [
        '10-packages.sh',
        '15-backup-repository.sh',
        '20-etcd.sh',
        '30-watchdog.sh',
        '35-pgbackrest.sh',
        '40-patroni.sh',
        '50-entry.sh',
        '60-backup-stanza.sh',
        'lab-watchdog.sh',
        'lib.sh',
        'pgbackrest-lib.sh',
      ],
      `${lab.name}: scripts`,
    );
    const entryEnv = lab.spec.entry?.haproxy ? [join(lab.dir, 'entry', lab.spec.entry.haproxy.name, 'entry.env')] : [];
    const envs = [
      join(provision, 'packages.env'),
      ...lab.spec.nodes.map((n) => join(lab.dir, 'nodes', n.name, 'node.env')),
      ...entryEnv,
    ];
    for (const file of [...scripts.map((s) => join(provision, s)), ...envs]) {
      const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      t.equal(r.status, 0, `${lab.name}: bash -n ${file}\n${r.stderr}`);
    }
    if (requireTools('shellcheck').skip) {
      t.comment('shellcheck is not installed');
      continue;
    }
    const r = spawnSync('shellcheck', ['-x', '--severity=style', ...scripts], { cwd: provision, encoding: 'utf8' });
    t.equal(r.status, 0, `${lab.name}: shellcheck provision/*.sh\n${r.stdout}${r.stderr}`);
    const e = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...envs], { encoding: 'utf8' });
    // Env files assign variables that only the sourcing step reads: SC2034 (unused) is the one expected note.
    t.equal(
      e.status === 0
        ? ''
        : (e.stdout
            .replace(/\n/g, ' ')
            .match(/SC\d{4}/g)
            ?.filter((c) => c !== 'SC2034')
            .join(',') ?? ''),
      '',
      `${lab.name}: shellcheck node.env files`,
    );
  }
});

/**
 * Complaints of `patroni --validate-config` that come from this machine, not from the file. The
 * validator dials every etcd host; it runs in an empty network namespace so that no traffic goes to
 * lab addresses with nothing behind them, and "not reachable" is then the expected answer.
 */
function isMachineComplaint(line: string): boolean {
  if (/^etcd3\.hosts\.\d+ [\d.]+:2379 didn't pass validation: '[\d.]+:2379 is not reachable'$/.test(line)) return true;
  const binDir = /^postgresql\.bin_dir\s+Directory '\/usr\/lib\/postgresql\/(\d+)\/bin' does not exist\.$/.exec(line);
  if (binDir) return !existsSync(`/usr/lib/postgresql/${binDir[1]}/bin`);
  return /Port \d+ is already in use\.$/.test(line);
}

t.test('patroni --validate-config accepts every patroni.yml', requireTools('patroni', 'unshare'), async (t) => {
  const version = execFileSync('patroni', ['--version'], { encoding: 'utf8' }).trim();
  t.comment(`validating with ${version}`);
  for (const lab of labs) {
    for (const node of lab.spec.nodes) {
      const file = join(lab.dir, 'nodes', node.name, 'patroni.yml');
      // A network namespace of its own (root: -n; others also need a user namespace: -rn), so the
      // validator's probes never leave this process.
      const isolate = process.getuid?.() === 0 ? '-n' : '-rn';
      const r = spawnSync('unshare', [isolate, 'patroni', '--validate-config', file], { encoding: 'utf8', timeout: 60_000 });
      // One finding per line (on stderr), e.g. `bootstrap.pg_hba  is not defined.`
      const findings = `${r.stdout}\n${r.stderr}`
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const ignored = findings.filter(isMachineComplaint);
      const rest = findings.filter((l) => !isMachineComplaint(l));
      if (ignored.length) t.comment(`${lab.name}/${node.name}: ignored (this machine): ${ignored.join(' | ')}`);
      t.same(rest, [], `${lab.name}/${node.name}: no complaint about the configuration`);
      t.ok(r.status === 0 || (rest.length === 0 && ignored.length > 0), `${lab.name}/${node.name}: exit ${r.status} explained`);
    }
  }
});
