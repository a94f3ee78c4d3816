import t from 'tap';
import { formatFaults, type FaultStatus } from '../../lab/commands/status.js';

const fault = (runAlive: boolean): FaultStatus => ({
  entry: { id: 'e1', fault: 'partition', node: 'node1', record: { peers: ['10.0.0.12'] }, at: '2026-11-26T12:00:00.000Z', run: { id: 'r1', scenario: 'partition', pid: 4242 } },
  seen: 'still in force: LAB-PARTITION chain present (4 rule(s))',
  runAlive,
});

t.test('status names each fault left in force, what the node shows of it, and the command that heals it', async (t) => {
  t.equal(
    formatFaults([fault(false)], '/labs/x/faults.json', '/labs/x'),
    [
      'FAULTS IN FORCE, journaled in /labs/x/faults.json by a scenario:',
      '  - partition on node1 (scenario partition, run r1, pid 4242, since 2026-11-26T12:00:00.000Z): still in force: LAB-PARTITION chain present (4 rule(s))',
      'heal them: lab heal -d /labs/x',
      '',
    ].join('\n'),
  );
});

t.test('a fault whose scenario still runs is its own to heal: no heal command then', async (t) => {
  const text = formatFaults([fault(true)], '/labs/x/faults.json', '/labs/x');
  t.match(text, /; its scenario is still running and heals it on exit\n$/);
  t.notMatch(text, /lab heal/);
});

t.test('nothing journaled, nothing said', async (t) => {
  t.equal(formatFaults([], '/labs/x/faults.json', '/labs/x'), '');
});
