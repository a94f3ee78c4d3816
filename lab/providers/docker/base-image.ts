/**
 * `lab image base`: a Debian base image made without any registry (debootstrap into a directory,
 * then import), for hosts and CI where `docker pull` cannot work. It has what systemd as PID 1 and
 * the provisioners need; the packages of the lab itself are added later, in the node image.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { ExitCode, LabError, MissingToolError } from '../../errors.js';
import { NODE_OS_PACKAGES } from '../../render/containers.js';
import { describeError } from './client.js';
import { task } from '../tasks.js';
import type { ProgressListener } from '../provider.js';

/**
 * The Debian release `lab image base` builds by default, and the CI lab runs on: Debian 13 ships
 * PostgreSQL 17, Patroni 4.0 and etcd 3.5. Debian 12's Patroni 3.0.2 was seen to let a demoted leader
 * take the leader key back after a partition heals (patroni/patroni#3314).
 */
export const LOCAL_BASE_SUITE = 'trixie';
export const LOCAL_BASE_IMAGE = `pgha-lab/base:${LOCAL_BASE_SUITE}`;

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
  const files = [...(await readdir(dir).catch(() => [] as string[])).filter((f) => /\.(sources|list)$/.test(f)).map((f) => path.join(dir, f)), '/etc/apt/sources.list'];
  for (const file of files) {
    const mirror = parseMirror(await readFile(file, 'utf8').catch(() => ''));
    if (mirror) return mirror;
  }
  return undefined;
}

export interface BaseImageOptions {
  tag: string;
  suite: string;
  mirror?: string;
  onProgress?: ProgressListener;
}

export async function buildDebianBase(docker: Docker, options: BaseImageOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new LabError('building a base image needs root (debootstrap creates device files and sets owners)', ExitCode.badInput, 'run `sudo lab image base`');
  await execa('debootstrap', ['--version']).catch(() => {
    throw new MissingToolError('debootstrap', 'apt-get install -y debootstrap');
  });
  const mirror = options.mirror ?? (await hostMirror());
  if (!mirror) throw new LabError('no Debian mirror found in /etc/apt/sources.list(.d)', ExitCode.badInput, 'pass --mirror http://deb.debian.org/debian');
  const root = await mkdtemp(path.join(tmpdir(), 'pgha-lab-base-'));
  try {
    await task(options.onProgress, null, `debootstrap ${options.suite} from ${mirror}`, async () => {
      const r = await execa('debootstrap', ['--variant=minbase', `--include=${NODE_OS_PACKAGES.join(',')}`, options.suite, root, mirror], { all: true, reject: false, timeout: 900_000 });
      if (r.exitCode !== 0) throw new LabError(`debootstrap failed (exit ${r.exitCode}):\n${(r.all ?? '').split('\n').slice(-20).join('\n')}`);
    });
    await task(options.onProgress, null, `import ${options.tag}`, async () => {
      const tar = execa('tar', ['-C', root, '--numeric-owner', '-c', '.'], { buffer: false });
      const [repo, tag] = splitTag(options.tag);
      try {
        const progress = await docker.importImage(tar.stdout, { repo, tag, changes: ['CMD ["/sbin/init"]'] });
        await new Promise<void>((resolve, reject) => docker.modem.followProgress(progress, (err: Error | null) => (err ? reject(err) : resolve())));
        await tar;
      } catch (e) {
        tar.kill();
        throw new LabError(`importing ${options.tag} failed: ${describeError(e)}`);
      }
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function splitTag(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
}
