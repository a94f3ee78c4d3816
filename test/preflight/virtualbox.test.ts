/** VirtualBox's allowed host-only ranges, from /etc/vbox/networks.conf. */
import t from 'tap';
import { parseNetworksConf, vboxAllows } from '../../lab/preflight/virtualbox.js';

t.test("VirtualBox's allowed ranges", async (t) => {
  t.same(parseNetworksConf(null), ['192.168.56.0/21'], 'without the file, only the default range');
  t.same(
    parseNetworksConf('# lab\n* 10.0.0.0/8 192.168.0.0/16\n* fd00::/8\n'),
    ['10.0.0.0/8', '192.168.0.0/16'],
    'IPv6 ranges are not for IPv4 subnets',
  );
  t.ok(vboxAllows('192.168.57.0/24', ['192.168.56.0/21']));
  t.notOk(vboxAllows('192.168.1.0/24', ['192.168.56.0/21']));
});
