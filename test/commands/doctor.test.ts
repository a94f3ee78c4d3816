/** `lab doctor`'s report: problems of the lab's own provider (and the host) are problems, the other provider's are notes. */
import t from 'tap';
import { formatChecks, formatMechanisms } from '../../lab/commands/doctor.js';
import type { DoctorCheck } from '../../lab/providers/provider.js';

const checks: DoctorCheck[] = [
  { area: 'docker', ok: true, what: 'Docker engine 20.10 reachable' },
  { area: 'vagrant', ok: false, what: 'vagrant not installed', fix: 'apt-get install -y vagrant' },
  { area: 'host', ok: false, what: 'lab subnet 192.168.1.0/24 overlaps the host\'s 192.168.1.0/24 (eth0)', fix: 'set network.subnet' },
];

t.test('verdicts follow the provider in use', async (t) => {
  const lines = formatChecks(checks, 'docker').split('\n');
  t.equal(lines[0], 'docker   ok       Docker engine 20.10 reachable');
  t.equal(lines[1], 'vagrant  note     vagrant not installed', "the other provider's problem is a note");
  t.equal(lines[2], `${' '.repeat(18)}fix: apt-get install -y vagrant`, 'every problem prints its fix');
  t.match(lines[3], /^host {5}PROBLEM  lab subnet/);
  t.match(formatChecks(checks, 'vagrant'), /vagrant  PROBLEM  vagrant not installed/);
});

t.test('fault mechanisms: how each need is met, or that scenarios needing it are refused', async (t) => {
  const lines = formatMechanisms({ iptables: true, statistic: true, nfqueue: true, htb: false, netem: false }).split('\n');
  t.match(lines, [/iptables +ok +iptables$/, /statistic +ok/, /htb +missing +scenarios with a fault that needs it are refused \(exit 2\)/, /delay +ok +NFQUEUE and the lab delayer/]);
});
