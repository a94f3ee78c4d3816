/** Preflight: one list of checks, shown as warnings (generate, up) when they fail and concern the lab's provider. */
import t from 'tap';
import { concerns, preflightChecks, preflightWarnings, type HostFacts } from '../../lab/preflight/index.js';
import { parseProcRoutes } from '../../lab/preflight/routes.js';
import { parseSpec } from '../../lab/spec/parse.js';

const HOME_ROUTES = parseProcRoutes(`Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`);
const nothingYet = { interfaces: [], runningNodes: [], nodeMemoryMib: 1024 };
const host = (facts: Partial<HostFacts>): HostFacts => ({
  routes: [],
  vboxAllowed: ['192.168.56.0/21'],
  availableMib: 16_000,
  ...facts,
});

t.test('the document subnet on a typical home machine', async (t) => {
  const { spec } = parseSpec('');
  const checks = preflightChecks(spec, host({ routes: HOME_ROUTES }), nothingYet);
  t.same(
    checks.map((c) => [c.area, c.ok]),
    [
      ['vagrant', false],
      ['host', false],
      ['host', true],
    ],
    'VirtualBox range, routes, memory',
  );
  const warnings = preflightWarnings(checks, spec.provider);
  t.equal(warnings.length, 2);
  t.match(warnings[0], "echo '* 192.168.1.0/24' | sudo tee -a /etc/vbox/networks.conf");
  t.match(warnings[1], "overlaps the host's 192.168.1.0/24 (wlan0)");
  t.same(
    preflightWarnings(preflightChecks(spec, host({ vboxAllowed: ['192.168.0.0/16'] }), nothingYet), spec.provider),
    [],
    'quiet when allowed and free',
  );
});

t.test("another provider's checks are notes, not warnings", async (t) => {
  const { spec } = parseSpec('provider: docker');
  const checks = preflightChecks(spec, host({ vboxAllowed: [] }), nothingYet);
  t.notOk(checks[0]!.ok, 'VirtualBox would refuse the subnet');
  t.notOk(concerns(checks[0]!, 'docker'));
  t.same(preflightWarnings(checks, 'docker'), []);
});

t.test("the lab's own bridge and running nodes are not held against it", async (t) => {
  const { spec } = parseSpec('provider: docker');
  const bridge = [{ iface: 'br-1', cidr: '192.168.1.0/24' }];
  t.same(
    preflightWarnings(preflightChecks(spec, host({ routes: bridge }), { ...nothingYet, interfaces: ['br-1'] }), 'docker'),
    [],
  );
  const lowMemory = host({ availableMib: 1500 });
  t.match(preflightWarnings(preflightChecks(spec, lowMemory, nothingYet), 'docker'), [/1500 MiB free, 3072 MiB needed/]);
  t.same(
    preflightWarnings(preflightChecks(spec, lowMemory, { ...nothingYet, runningNodes: ['node1', 'node2'] }), 'docker'),
    [],
    'only the node still to start needs memory',
  );
  t.same(
    preflightChecks(spec, host({ availableMib: undefined }), nothingYet).length,
    2,
    'no memory check where /proc/meminfo cannot be read',
  );
});
