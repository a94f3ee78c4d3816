/** The workshop's own isolation rules, as `iptables -S` prints them (status compares them line by line). */
import t from 'tap';
import { isolationChain, isolationRules } from '../../lab/workshop/isolation.js';

t.test('within a seat accepted, between seats and other Docker networks dropped', async (t) => {
  const chain = isolationChain('cls');
  t.equal(chain, 'PGHA-WS-cls');
  t.same(isolationRules(chain, '10.100.0.0/16', ['10.100.1.0/24', '10.100.2.0/24']), [
    '-A PGHA-WS-cls -s 10.100.1.0/24 -d 10.100.1.0/24 -j ACCEPT',
    '-A PGHA-WS-cls -s 10.100.2.0/24 -d 10.100.2.0/24 -j ACCEPT',
    '-A PGHA-WS-cls -s 10.100.0.0/16 -o br+ -j DROP',
    '-A PGHA-WS-cls -d 10.100.0.0/16 -i br+ -j DROP',
    '-A PGHA-WS-cls -s 10.100.0.0/16 -o docker0 -j DROP',
    '-A PGHA-WS-cls -d 10.100.0.0/16 -i docker0 -j DROP',
  ]);
});
