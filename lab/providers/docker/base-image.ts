/**
 * `lab image base`: a Debian base image made without any registry (debootstrap into a directory,
 * then import), for hosts and CI where `docker pull` cannot work. It has what systemd as PID 1 and
 * the provisioners need; the packages of the lab itself are added later, in the node image.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { ExitCode, LabError, MissingToolError } from '../../errors.js';
import { NODE_OS_PACKAGES } from '../../render/containers.js';
import { FIRST_UNIFIED_ONLY_SYSTEMD, LABEL_UNIFIED_ONLY } from './cgroups.js';
import { describeError } from './client.js';
import { task } from '../tasks.js';
import type { ProgressListener } from '../provider.js';

/** The first Debian archive URI in apt's sources (deb822 `URIs:` or one-line `deb URI suite`). Pure. */
export function parseMirror(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const deb822 = /^URIs:\s*(\S+)/.exec(line.trim());
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/.exec(line.trim());
    const uri = deb822?.[1] ?? oneLine?.[1];
    if (uri && !/security/.test(uri)) return uri;
  }
  return undefined;
}

/** The host's Debian mirror, as apt is configured to use it. */
export async function hostMirror(): Promise<string | undefined> {
  const dir = '/etc/apt/sources.list.d';
  const files = [
    ...(await readdir(dir).catch(() => [] as string[])).filter((f) => /\.(sources|list)$/.test(f)).map((f) => path.join(dir, f)),
    '/etc/apt/sources.list',
  ];
  for (const file of files) {
    const mirror = parseMirror(await readFile(file, 'utf8').catch(() => ''));
    if (mirror) return mirror;
  }
  return undefined;
}

/** Where debootstrap keeps its suite scripts (Debian's debootstrap package). */
const DEBOOTSTRAP_SCRIPTS = '/usr/share/debootstrap/scripts';

/**
 * debootstrap's arguments after the target and mirror: none for a suite it has a script for; for a
 * release newer than the host's debootstrap (Debian 12's knows trixie, not forky), the script of
 * sid, which every Debian release since buster uses under its own name. Pure.
 */
export function suiteScriptArgs(suite: string, scripts: readonly string[]): string[] {
  return scripts.includes(suite) ? [] : [path.join(DEBOOTSTRAP_SCRIPTS, 'sid')];
}

/** True when a Release file carries a Valid-Until date: testing and unstable do, a stable release does not. Pure. */
export function releaseExpires(release: string): boolean {
  return /^Valid-Until:/m.test(release);
}

/**
 * apt's setting written into a base whose suite's Release expires: a mirror (or snapshot) that is not
 * refreshed serves a testing Release past its date, which apt refuses ("Release file ... is expired")
 * and debootstrap does not check, so the base would build and its first `apt-get update` would fail.
 * Signatures are still checked; only the date is not.
 */
const ACCEPT_EXPIRED_RELEASE = {
  file: 'etc/apt/apt.conf.d/99pgha-lab-valid-until',
  text: '// pgha-lab: this suite\'s Release expires (testing); a mirror not refreshed serves it past its date.\nAcquire::Check-Valid-Until "false";\n',
} as const;

/** True when a Release debootstrap fetched into root (var/lib/apt/lists) expires. */
async function fetchedReleaseExpires(root: string): Promise<boolean> {
  const lists = path.join(root, 'var/lib/apt/lists');
  const releases = (await readdir(lists).catch(() => [] as string[])).filter((f) => f.endsWith('_Release'));
  for (const file of releases) if (releaseExpires(await readFile(path.join(lists, file), 'utf8'))) return true;
  return false;
}

/** The version of the systemd package in dpkg's status file when it runs only on cgroup v2 (258 and later), else undefined. Pure. */
export function unifiedOnlySystemd(dpkgStatus: string): string | undefined {
  const stanza = dpkgStatus.split(/\n\n+/).find((s) => /^Package: systemd$/m.test(s));
  const version = stanza && /^Version: (\S+)$/m.exec(stanza)?.[1];
  const major = version ? Number(/^(?:\d+:)?(\d+)/.exec(version)?.[1]) : Number.NaN;
  return major >= FIRST_UNIFIED_ONLY_SYSTEMD ? version : undefined;
}

export interface BaseImageOptions {
  tag: string;
  suite: string;
  mirror?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/**
 * debootstrap is told as a terminal's Ctrl-C tells it: on SIGINT it unmounts the proc and sys it
 * mounted in the target, then exits 130 (its trap); on SIGTERM it would die with them mounted.
 */
const DEBOOTSTRAP_STOP = { killSignal: 'SIGINT' as const, forceKillAfterDelay: 30_000 };

/** Mount points at or below root, deepest first, from the text of /proc/self/mounts (octal escapes as the kernel writes them). Pure. */
export function mountsUnder(mounts: string, root: string): string[] {
  const unoctal = (field: string): string =>
    field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  const base = root.replace(/\/+$/, '');
  return mounts
    .split('\n')
    .map((line) => unoctal(line.split(' ')[1] ?? ''))
    .filter((point) => point === base || point.startsWith(`${base}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Removes the debootstrap target, never through a mount left in it (a debootstrap killed hard keeps
 * the host's proc and sys mounted there): those are unmounted first, and if one cannot be, the
 * directory stays and the error says where.
 */
async function removeTarget(root: string): Promise<void> {
  for (const point of mountsUnder(await readFile('/proc/self/mounts', 'utf8'), root)) {
    const r = await execa('umount', [point], { reject: false, timeout: 30_000 });
    if (r.exitCode !== 0)
      throw new LabError(
        `${point} is still mounted (${r.stderr.trim()}); ${root} was left in place`,
        undefined,
        `umount ${point}, then rm -rf ${root}`,
      );
  }
  await rm(root, { recursive: true, force: true });
}

export async function buildDebianBase(docker: Docker, options: BaseImageOptions): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new LabError(
      'building a base image needs root (debootstrap creates device files and sets owners)',
      ExitCode.badInput,
      'run `sudo lab image base`',
    );
  await execa('debootstrap', ['--version']).catch(() => {
    throw new MissingToolError('debootstrap', 'apt-get install -y debootstrap');
  });
  const mirror = options.mirror ?? (await hostMirror());
  if (!mirror)
    throw new LabError(
      'no Debian mirror found in /etc/apt/sources.list(.d)',
      ExitCode.badInput,
      'pass --mirror http://deb.debian.org/debian',
    );
  const scripts = await readdir(DEBOOTSTRAP_SCRIPTS).catch(() => [] as string[]);
  const root = await mkdtemp(path.join(tmpdir(), 'pgha-lab-base-'));
  try {
    await task(options.onProgress, null, `debootstrap ${options.suite} from ${mirror}`, async () => {
      const r = await execa(
        'debootstrap',
        [
          '--variant=minbase',
          `--include=${NODE_OS_PACKAGES.join(',')}`,
          options.suite,
          root,
          mirror,
          ...suiteScriptArgs(options.suite, scripts),
        ],
        {
          all: true,
          reject: false,
          timeout: 900_000,
          ...(options.signal ? { cancelSignal: options.signal, ...DEBOOTSTRAP_STOP } : {}),
        },
      );
      options.signal?.throwIfAborted();
      if (r.exitCode !== 0)
        throw new LabError(`debootstrap failed (exit ${r.exitCode}):\n${(r.all ?? '').split('\n').slice(-20).join('\n')}`);
    });
    if (await fetchedReleaseExpires(root))
      await task(options.onProgress, null, `apt: ${options.suite}'s Release accepted past its Valid-Until`, () =>
        writeFile(path.join(root, ACCEPT_EXPIRED_RELEASE.file), ACCEPT_EXPIRED_RELEASE.text),
      );
    const unifiedOnly = unifiedOnlySystemd(await readFile(path.join(root, 'var/lib/dpkg/status'), 'utf8'));
    await task(
      options.onProgress,
      null,
      `import ${options.tag}${unifiedOnly ? ` (systemd ${unifiedOnly}: cgroup v2 only)` : ''}`,
      async () => {
        const tar = execa('tar', ['-C', root, '--numeric-owner', '-c', '.'], { buffer: false });
        const [repo, tag] = splitTag(options.tag);
        try {
          const progress = await docker.importImage(tar.stdout, {
            repo,
            tag,
            changes: ['CMD ["/sbin/init"]', ...(unifiedOnly ? [`LABEL ${LABEL_UNIFIED_ONLY}="${unifiedOnly}"`] : [])],
            abortSignal: options.signal,
          });
          await new Promise<void>((resolve, reject) =>
            docker.modem.followProgress(progress, (err: Error | null) => (err ? reject(err) : resolve())),
          );
          await tar;
        } catch (e) {
          tar.kill();
          options.signal?.throwIfAborted();
          throw new LabError(`importing ${options.tag} failed: ${describeError(e)}`);
        }
      },
    );
  } finally {
    await removeTarget(root);
  }
}

function splitTag(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
}
