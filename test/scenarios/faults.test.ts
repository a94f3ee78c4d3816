import t from 'tap';
import { execa } from 'execa';
import { healPartitionScript } from '../../lab/scenarios/faults.js';

t.test('partition heal: removes the chain, then resets only etcd peer connections to the peers', async (t) => {
  const script = healPartitionScript(['10.0.0.12', '10.0.0.13']);
  t.match(script, /^iptables -D INPUT -j LAB-PARTITION/);
  t.ok(script.indexOf('iptables -X LAB-PARTITION') < script.indexOf('ss -HKtn'), 'reset after the chain is gone, so the resets reach the peers');
  t.match(script, "ss -HKtn '( dst 10.0.0.12 or dst 10.0.0.13 ) and ( sport = :2380 or dport = :2380 )' | wc -l");
  const check = await execa('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${script}\n`, reject: false });
  t.equal(check.exitCode, 0, `shellcheck: ${check.stdout}`);
});
