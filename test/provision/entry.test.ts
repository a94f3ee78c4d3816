/**
 * provision/50-entry.sh's packages mode, which builds the Docker entry image: it installs HAProxy
 * and PgBouncer (PgBouncer whatever entry.pgbouncer says, so one image serves both kinds of lab) and
 * stops before any configuration. dpkg-query and apt-get are bash functions exported to the step
 * (nothing is installed, and apt-get only says what it was asked), so this runs anywhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { ROOT, tempDir } from '../helpers.js';

const STEP = path.join(ROOT, 'provision', '50-entry.sh');

/** Nothing installed; apt-get prints its arguments. */
const FAKE_APT = `dpkg-query() { return 1; }
apt-get() { echo "APT $*"; }
export -f dpkg-query apt-get`;

async function run(t: Test, mode: string, pgbouncer: 0 | 1) {
  const dir = await tempDir(t);
  const env = path.join(dir, 'entry', 'haproxy', 'entry.env');
  mkdirSync(path.dirname(env), { recursive: true });
  writeFileSync(
    env,
    `NODE_NAME=haproxy\nPG_VERSION=17\nPACKAGE_SOURCE=distro\nHAPROXY_UNIT=haproxy.service\nPGBOUNCER_UNIT=pgbouncer.service\nPGBOUNCER=${pgbouncer}\nENTRY_PORTS='5000 5001 7000'\n`,
  );
  const r = spawnSync('bash', ['-c', `${FAKE_APT}\nbash ${JSON.stringify(STEP)} ${JSON.stringify(env)} ${mode}`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

t.test('packages: HAProxy and PgBouncer installed, even for a lab without PgBouncer, then it stops', async (t) => {
  const r = await run(t, 'packages', 0);
  t.equal(r.status, 0, r.out);
  t.match(r.out, /changed: apt-get install haproxy pgbouncer\n/, 'both packages, whatever entry.pgbouncer says');
  t.match(r.out, /APT .*install .*haproxy pgbouncer/, 'apt-get was asked for both');
  t.match(r.out, /entry: done \(packages only\)/);
  t.notMatch(r.out, /haproxy -c|haproxy\.cfg|listening on/, 'no configuration, no service');
});

t.test('a second argument other than packages is refused', async (t) => {
  const r = await run(t, 'configure', 1);
  t.equal(r.status, 1, r.out);
  t.match(r.out, /the second argument may only be 'packages'.*got 'configure'/);
  t.notMatch(r.out, /APT/, 'nothing was installed');
});
