/** The host's routes from /proc/net/route, and which of them a lab subnet would shadow. */
import t from 'tap';
import { overlappingRoutes, parseProcRoutes } from '../../lab/preflight/routes.js';

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
  t.same(
    overlappingRoutes('192.168.1.0/24', routes).map((r) => r.iface),
    ['wlan0'],
  );
  t.same(overlappingRoutes('10.214.0.0/24', routes), [], 'an unused subnet shadows nothing');
});
