/** `lab image base`: the Debian mirror it builds from, releases newer than the host's debootstrap, testing's expiring Release. */
import t from 'tap';
import {
  mountsUnder,
  parseMirror,
  releaseExpires,
  suiteScriptArgs,
  unifiedOnlySystemd,
} from '../../../lab/providers/docker/base-image.js';

t.test('the Debian mirror from apt sources', async (t) => {
  t.equal(
    parseMirror('Types: deb\n# comment\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n'),
    'http://deb.debian.org/debian',
  );
  t.equal(parseMirror('deb [arch=amd64] http://mirror.example/debian bookworm main\n'), 'http://mirror.example/debian');
  t.equal(parseMirror('URIs: http://deb.debian.org/debian-security\n'), undefined, 'the security archive has no base system');
  t.equal(parseMirror(''), undefined);
});

t.test('what a debootstrap target still has mounted, deepest first, is unmounted before it is removed', async (t) => {
  const mounts = [
    'proc /proc proc rw 0 0',
    'proc /tmp/pgha-lab-base-x/proc proc rw 0 0',
    'sysfs /tmp/pgha-lab-base-x/sys sysfs rw 0 0',
    'devpts /tmp/pgha-lab-base-x/dev/pts devpts rw 0 0',
    'tmpfs /tmp/pgha-lab-base-xy tmpfs rw 0 0',
    'tmpfs /tmp/pgha-lab-base-x/with\\040space tmpfs rw 0 0',
  ].join('\n');
  t.same(mountsUnder(mounts, '/tmp/pgha-lab-base-x'), [
    '/tmp/pgha-lab-base-x/with space',
    '/tmp/pgha-lab-base-x/dev/pts',
    '/tmp/pgha-lab-base-x/proc',
    '/tmp/pgha-lab-base-x/sys',
  ]);
  t.same(mountsUnder(mounts, '/tmp/pgha-lab-base-z/'), [], 'none: a plain removal');
});

t.test("a release the host's debootstrap does not know is built with sid's script", async (t) => {
  const scripts = ['bookworm', 'sid', 'testing', 'trixie'];
  t.same(suiteScriptArgs('trixie', scripts), [], 'a known suite: its own script');
  t.same(
    suiteScriptArgs('forky', scripts),
    ['/usr/share/debootstrap/scripts/sid'],
    "Debian 12's debootstrap has no forky script",
  );
});

t.test("testing's Release expires, a stable release's does not", async (t) => {
  t.ok(releaseExpires('Suite: testing\nCodename: forky\nValid-Until: Fri, 06 Nov 2026 08:08:01 UTC\n'));
  t.notOk(releaseExpires('Suite: stable\nCodename: trixie\nDate: Sat, 08 Nov 2025 09:00:00 UTC\n'));
});

t.test('a base whose systemd refuses cgroup v1 (258 and later) is told apart by its dpkg status', async (t) => {
  const status = (version: string) =>
    `Package: systemd-sysv\nStatus: install ok installed\nVersion: 999\n\nPackage: systemd\nStatus: install ok installed\nVersion: ${version}\n\nPackage: zlib1g\nVersion: 1:1.3\n`;
  t.equal(unifiedOnlySystemd(status('262-1')), '262-1', "forky's 262");
  t.equal(unifiedOnlySystemd(status('258~rc1-1')), '258~rc1-1');
  t.equal(unifiedOnlySystemd(status('257.13-1~deb13u1')), undefined, "trixie's 257 still runs on v1");
  t.equal(unifiedOnlySystemd('Package: bash\nVersion: 5.2\n'), undefined, 'no systemd at all');
});
