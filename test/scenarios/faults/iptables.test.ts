import t, { type Test } from 'tap';
import { execa } from 'execa';
import { chainOf, chainScript, flapScript, healChainScript, stopFlapScript } from '../../../lab/scenarios/faults/iptables.js';
import { delayerScript, shapeScript, stopDelayerScript, unshapeScript } from '../../../lab/scenarios/faults/tc.js';

async function shellcheck(t: Test, script: string, what: string): Promise<void> {
  const r = await execa('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${script}\n`, reject: false });
  t.equal(r.exitCode, 0, `${what}: shellcheck ${r.stdout}`);
}

t.test('a chain per fault, its rules from the plan', async (t) => {
  t.equal(chainOf('partition-flapping'), 'LAB-PARTITION-FLAPPING');
  t.ok(chainOf('a-very-long-fault-name-indeed-yes').length <= 28, "within iptables' limit");
  const script = chainScript('LAB-X', [
    { peer: '10.0.0.12', dir: 'both' },
    { peer: '10.0.0.13', dir: 'in', ports: [2379, 2380] },
    { dir: 'in', ports: [2379] },
    { peer: '10.0.0.12', dir: 'out', probability: 0.2 },
  ]);
  t.match(script, /^iptables -D INPUT -j LAB-X 2>\/dev\/null \|\| true;/, 'starts from a clean slate');
  for (const rule of [
    'iptables -A LAB-X -s 10.0.0.12 -j DROP',
    'iptables -A LAB-X -d 10.0.0.12 -j DROP',
    'iptables -A LAB-X -s 10.0.0.13 -p tcp -m multiport --ports 2379,2380 -j DROP',
    'iptables -A LAB-X -p tcp -m multiport --ports 2379 -j DROP',
    'iptables -A LAB-X -d 10.0.0.12 -m statistic --mode random --probability 0.2 -j DROP',
  ])
    t.ok(script.includes(rule), rule);
  t.ok(script.endsWith('iptables -I INPUT -j LAB-X && iptables -I OUTPUT -j LAB-X'));
  await shellcheck(t, script, 'inject');
  t.match(healChainScript('LAB-X', []), "ss -HKtn '( sport = :2380 or dport = :2380 )'", 'no peers: every etcd peer connection');
  await shellcheck(t, healChainScript('LAB-X', ['10.0.0.12']), 'heal');
});

t.test('flapping: a bounded loop that cuts and heals, ended by its process group', async (t) => {
  const loop = flapScript(['10.0.0.12'], 5, 60);
  t.match(loop, /while \[ \$i -lt 60 \]; do .*; sleep 5; .*; sleep 5; i=\$\(\(i \+ 1\)\); done/);
  await shellcheck(t, loop, 'loop');
  t.match(
    stopFlapScript(['10.0.0.12']),
    /env kill -TERM -- "-\$\(cat \/run\/lab-partition-flapping.pid\)"/,
    "procps' kill: dash's builtin takes no process group",
  );
  await shellcheck(t, stopFlapScript(['10.0.0.12']), 'stop');
});

t.test('shaping: htb on the interface that holds the node address, filters per peer', async (t) => {
  const bw = shapeScript('10.0.0.11', ['10.0.0.12', '10.0.0.13'], '1000kbit');
  t.match(bw, /tc qdisc add dev "\$dev" root handle 1: htb default 1/, 'add, never replace: a second shaper fails');
  t.match(bw, /u32 match ip dst 10.0.0.13\/32 flowid 1:10/);
  t.notMatch(bw, /netem/);
  t.match(
    shapeScript('10.0.0.11', ['10.0.0.12'], '10gbit', 'netem delay 200ms 50ms'),
    /parent 1:10 handle 10: netem delay 200ms 50ms/,
  );
  await shellcheck(t, bw, 'shape');
  await shellcheck(t, unshapeScript('10.0.0.11'), 'unshape');
});

t.test('the NFQUEUE delayer: started and ready before any packet is queued', async (t) => {
  const script = delayerScript(['10.0.0.12'], { delayMs: 200, jitterMs: 50, forS: 600 });
  t.ok(script.indexOf('setsid python3') < script.indexOf('--queue-num'), 'the delayer holds the queue first');
  t.match(script, /-d 10.0.0.12 -j NFQUEUE --queue-num 4271 --queue-bypass/, 'bypass: with no delayer, packets pass');
  t.match(script, /iptables -I OUTPUT -j LAB-LATENCY$/, 'what the node sends');
  await shellcheck(t, script, 'start');
  await shellcheck(t, stopDelayerScript(), 'stop');
});
