import t from 'tap';
import { parseProcRoutes, overlappingRoutes } from '../../lab/preflight/routes.js';
import { parseNetworksConf, vboxAllows } from '../../lab/preflight/virtualbox.js';
import { preflightWarnings } from '../../lab/preflight/index.js';
import { parseSpec } from '../../lab/spec/load.js';

const PROC_ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
wlan0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

t.test('routes from /proc/net/route, default route left out', async (t) => {
  const routes = parseProcRoutes(PROC_ROUTE);
  t.same(routes, [
    { iface: 'docker0', cidr: '172.17.0.0/16' },
    { iface: 'wlan0', cidr: '192.168.1.0/24' },
  ]);
  t.same(overlappingRoutes('192.168.1.0/24', routes).map((r) => r.iface), ['wlan0']);
});

t.test("VirtualBox's allowed ranges", async (t) => {
  t.same(parseNetworksConf(null), ['192.168.56.0/21']);
  t.same(parseNetworksConf('# lab\n* 10.0.0.0/8 192.168.0.0/16\n'), ['10.0.0.0/8', '192.168.0.0/16']);
  t.ok(vboxAllows('192.168.57.0/24', ['192.168.56.0/21']));
  t.notOk(vboxAllows('192.168.1.0/24', ['192.168.56.0/21']));
});

t.test('warnings for the document subnet on a typical home machine', async (t) => {
  const { spec } = parseSpec('');
  const warnings = preflightWarnings(spec, { routes: parseProcRoutes(PROC_ROUTE), vboxAllowed: ['192.168.56.0/21'] });
  t.equal(warnings.length, 2);
  t.match(warnings[0], "add the line \"* 192.168.1.0/24\" to /etc/vbox/networks.conf");
  t.match(warnings[1], 'overlaps the host\'s route 192.168.1.0/24 on wlan0');
  t.same(preflightWarnings(spec, { routes: [], vboxAllowed: ['192.168.0.0/16'] }), [], 'quiet when allowed and free');
});

t.test('the docker provider skips the VirtualBox check and its own bridge', async (t) => {
  const { spec } = parseSpec('provider: docker');
  t.same(preflightWarnings(spec, { routes: [{ iface: 'br-1', cidr: '192.168.1.0/24' }], vboxAllowed: [] }, ['br-1']), []);
});
