/** IPv4 and subnet arithmetic: the spec's node addresses, preflight's route and VirtualBox checks. */
import t from 'tap';
import {
  addressOfProcHex,
  gatewayAddress,
  hostAddress,
  hostCount,
  isIpv4Cidr,
  netmaskOf,
  prefixOf,
  prefixOfNetmask,
  subnetContains,
  subnetsOverlap,
  subnetWithin,
} from '../lab/net.js';

t.test('host addresses count from the network address', async (t) => {
  t.equal(hostAddress('192.168.1.0/24', 11), '192.168.1.11');
  t.equal(hostAddress('10.0.0.0/16', 300), '10.0.1.44', 'carries into the next octet');
  t.equal(hostAddress('192.168.1.77/24', 11), '192.168.1.11', 'host bits in the subnet text are ignored');
  t.equal(gatewayAddress('10.214.0.0/24'), '10.214.0.1');
  t.equal(hostCount('192.168.1.0/24'), 254);
  t.equal(hostCount('10.0.0.0/30'), 2);
  t.equal(hostCount('10.0.0.1/32'), 0);
  t.equal(prefixOf('10.20.0.0/16'), 16);
});

t.test('a subnet contains its host addresses only', async (t) => {
  t.ok(subnetContains('192.168.1.0/24', '192.168.1.1'));
  t.ok(subnetContains('192.168.1.0/24', '192.168.1.254'));
  t.notOk(subnetContains('192.168.1.0/24', '192.168.1.0'), 'the network address is not a host');
  t.notOk(subnetContains('192.168.1.0/24', '192.168.1.255'), 'broadcast is not a host');
  t.notOk(subnetContains('192.168.1.0/24', '192.168.2.10'));
});

t.test('overlap and nesting', async (t) => {
  t.ok(subnetsOverlap('192.168.0.0/16', '192.168.1.0/24'));
  t.ok(subnetsOverlap('192.168.1.0/24', '192.168.0.0/16'), 'symmetric');
  t.ok(subnetsOverlap('192.168.1.0/24', '192.168.1.0/24'));
  t.notOk(subnetsOverlap('192.168.1.0/24', '192.168.2.0/24'), 'neighbours do not overlap');
  t.ok(subnetWithin('192.168.57.0/24', '192.168.56.0/21'));
  t.notOk(subnetWithin('192.168.56.0/20', '192.168.56.0/21'), 'a wider subnet is not within a narrower one');
  t.notOk(subnetWithin('192.168.1.0/24', '192.168.56.0/21'));
});

t.test('netmasks and prefixes', async (t) => {
  t.equal(netmaskOf(24), '255.255.255.0');
  t.equal(netmaskOf(21), '255.255.248.0');
  t.equal(netmaskOf(0), '0.0.0.0');
  t.equal(prefixOfNetmask('255.255.0.0'), 16);
  t.equal(prefixOfNetmask('0.0.0.0'), 0);
  t.throws(() => prefixOfNetmask('255.0.255.0'), /not a subnet mask/);
});

t.test('CIDR text and /proc/net/route hex', async (t) => {
  t.ok(isIpv4Cidr('10.0.0.0/8'));
  t.notOk(isIpv4Cidr('10.0.0.0'), 'an address without prefix');
  t.notOk(isIpv4Cidr('fd00::/8'), 'IPv6');
  t.equal(addressOfProcHex('0001A8C0'), '192.168.1.0', 'little-endian');
  t.equal(addressOfProcHex('00FFFFFF'), '255.255.255.0');
});
