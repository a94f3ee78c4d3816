/** `lab doctor`'s report: problems of the lab's own provider (and the host) are problems, the other provider's are notes. */
import t from 'tap';
import { dockerAlternative, formatChecks, formatMechanisms } from '../../lab/commands/doctor.js';
import type { DoctorCheck } from '../../lab/providers/provider.js';

const checks: DoctorCheck[] = [
  { area: 'docker', ok: true, what: 'Docker engine 20.10 reachable' },
  { area: 'vagrant', ok: false, what: 'vagrant not installed', fix: 'apt-get install -y vagrant' },
  {
    area: 'host',
    ok: false,
    what: "lab subnet 192.168.1.0/24 overlaps the host's 192.168.1.0/24 (eth0)",
    fix: 'set network.subnet',
  },
];

t.test("only the lab's provider's checks and the host's are shown, each problem with its fix", async (t) => {
  const lines = formatChecks(checks, 'docker').split('\n');
  t.equal(lines[0], 'docker   ok       Docker engine 20.10 reachable');
  t.match(lines[1], /^host {5}PROBLEM  lab subnet/);
  t.equal(lines[2], `${' '.repeat(18)}fix: set network.subnet`, 'every problem prints its fix');
  t.notMatch(formatChecks(checks, 'docker'), /vagrant/, "another provider's checks are not this lab's business");
  t.match(formatChecks(checks, 'vagrant'), /vagrant  PROBLEM  vagrant not installed/);
});

t.test('no VM provider: the same lab on Docker, offline, in full', async (t) => {
  const missing: DoctorCheck[] = [
    { area: 'vagrant', ok: true, what: 'Vagrant 2.3.4' },
    { area: 'vagrant', ok: false, what: 'VirtualBox not installed' },
  ];
  const text = dockerAlternative(missing, 'vagrant');
  t.match(
    text,
    /provider: docker, docker: \{ baseImage: pgha-lab\/base:trixie \}, postgres: \{ version: 17, packageSource: distro \}/,
  );
  t.match(text, /lab doctor --provider docker; lab image base; lab up/);
  t.equal(dockerAlternative(missing, 'docker'), '', 'not for a Docker lab');
  t.equal(dockerAlternative([missing[0]!], 'vagrant'), '', 'not when Vagrant has what it needs');
});

t.test('fault mechanisms: how each need is met, or that scenarios needing it are refused', async (t) => {
  const lines = formatMechanisms({ iptables: true, statistic: true, nfqueue: true, htb: false, netem: false }).split('\n');
  t.match(lines, [
    /iptables +ok +iptables$/,
    /statistic +ok/,
    /htb +missing +scenarios with a fault that needs it are refused \(exit 2\)/,
    /delay +ok +NFQUEUE and the lab delayer/,
  ]);
});
