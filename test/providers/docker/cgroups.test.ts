/** `lab doctor`'s cgroup line: what the engine's cgroup version means for the nodes and pause-node. */
import t from 'tap';
import { cgroupBindSource, cgroupCheck, LABEL_UNIFIED_ONLY } from '../../../lab/providers/docker/cgroups.js';

t.test('cgroup v1: the freezer controller', async (t) => {
  const check = cgroupCheck({ CgroupVersion: '1', CgroupDriver: 'cgroupfs', MemoryLimit: true, PidsLimit: true });
  t.equal(check.ok, true);
  t.match(
    check.what,
    /^cgroup v1 \(driver cgroupfs\): .*v1 hierarchies.*freezer controller; the engine can limit memory and pids; the lab sets no limit$/,
  );
});

t.test('cgroup v2: the unified hierarchy and cgroup.freeze; no controllers, no limits', async (t) => {
  const check = cgroupCheck({ CgroupVersion: '2', CgroupDriver: 'cgroupfs', MemoryLimit: false, PidsLimit: false });
  t.equal(check.ok, true, 'the lab runs on v2: not a problem');
  t.match(
    check.what,
    /^cgroup v2 \(driver cgroupfs\): the nodes' systemd sees the unified hierarchy \(--cgroupns=host, \/sys\/fs\/cgroup bound rw\); pause-node freezes a node with cgroup\.freeze; the engine enforces no memory or pids limit/,
  );
  t.notMatch(check.what, /systemd's/, 'the cgroupfs driver is the one CI runs');
});

t.test("cgroup v2 with systemd's driver: said to be untried in CI", async (t) => {
  const check = cgroupCheck({ CgroupVersion: '2', CgroupDriver: 'systemd', MemoryLimit: true, PidsLimit: true });
  t.equal(check.ok, true);
  t.match(check.what, /^cgroup v2 \(driver systemd\): .*can limit memory and pids.*CI runs v2 with the cgroupfs driver only/);
});

t.test('an engine that does not report it (before Docker 20.10)', async (t) => {
  const check = cgroupCheck({});
  t.equal(check.ok, true);
  t.match(check.what, /^cgroup version not reported/);
});

t.test(
  "a base whose systemd runs only on v2 gets a v1 host's cgroup2 mount; every other image the engine's hierarchy",
  async (t) => {
    const forky = { [LABEL_UNIFIED_ONLY]: '262-1' };
    t.equal(
      cgroupBindSource({ CgroupVersion: '1' }, forky),
      '/sys/fs/cgroup/unified',
      "v1 engine: the hybrid layout's unified mount",
    );
    t.equal(cgroupBindSource({ CgroupVersion: '2' }, forky), '/sys/fs/cgroup', 'v2 engine: its own hierarchy is unified');
    t.equal(
      cgroupBindSource({ CgroupVersion: '1' }, { 'pgha-lab.role': 'node-image' }),
      '/sys/fs/cgroup',
      "trixie's systemd runs on v1",
    );
    t.equal(cgroupBindSource({ CgroupVersion: '1' }, null), '/sys/fs/cgroup', 'an image without labels');
  },
);
