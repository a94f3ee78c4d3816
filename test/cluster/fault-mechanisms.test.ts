import t from 'tap';
import { execa } from 'execa';
import { howMet, parseProbe, probeScript } from '../../lab/cluster/fault-mechanisms.js';

t.test('the probe: one line per feature, a missing line is a missing feature', async (t) => {
  const f = parseProbe('iptables ok\nstatistic ok\nnfqueue ok\nhtb ok\nnetem no\n');
  t.same(f, { iptables: true, statistic: true, nfqueue: true, htb: true, netem: false });
  t.same(parseProbe('iptables ok\n'), { iptables: true, statistic: false, nfqueue: false, htb: false, netem: false });
  const check = await execa('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${probeScript()}\n`, reject: false });
  t.equal(check.exitCode, 0, `shellcheck: ${check.stdout}`);
  t.match(probeScript(), /unshare -n sh -c 'tc qdisc add dev lo root netem delay 1ms'/, 'in a throwaway network namespace');
});

t.test('latency is met by netem, else by NFQUEUE and the delayer, else not at all', async (t) => {
  const all = { iptables: true, statistic: true, nfqueue: true, htb: true, netem: true };
  t.equal(howMet('delay', all), 'tc netem');
  t.match(howMet('delay', { ...all, netem: false }), /NFQUEUE/);
  t.equal(howMet('delay', { ...all, netem: false, nfqueue: false }), null);
  t.equal(howMet('statistic', { ...all, statistic: false }), null);
});
