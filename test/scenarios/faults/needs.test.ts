import t from 'tap';
import { scenarioNeeds, unmetNeeds } from '../../../lab/scenarios/faults/needs.js';
import { parseScenario } from '../../../lab/scenarios/load.js';

const scenario = parseScenario(
  [
    'name: x',
    'summary: s',
    'steps:',
    '  - fault: latency',
    '  - fault: latency',
    '  - fault: packet-loss',
    '  - fault: crash-node',
    '  - fault: bandwidth',
  ].join('\n'),
  'x.yaml',
);

t.test("each fault's need, once; only the unmet ones named", async (t) => {
  t.same(scenarioNeeds(scenario), [
    { fault: 'latency', need: 'delay' },
    { fault: 'packet-loss', need: 'statistic' },
    { fault: 'bandwidth', need: 'htb' },
  ]);
  const noDelay = { iptables: true, statistic: true, htb: true, netem: false, nfqueue: false };
  t.same(unmetNeeds(scenarioNeeds(scenario), noDelay), [
    'latency needs delay, which the nodes lack (a kernel feature or its tool)',
  ]);
  t.same(unmetNeeds(scenarioNeeds(scenario), { ...noDelay, nfqueue: true }), [], 'NFQUEUE stands in for netem');
});

t.test("a driver's faults (lab chaos) are checked like a scenario's own", async (t) => {
  const needs = scenarioNeeds({ steps: [] }, ['latency', 'crash-node', 'latency']);
  t.same(needs, [{ fault: 'latency', need: 'delay' }], 'each fault once, only those that need something');
});
