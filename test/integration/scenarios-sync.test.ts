/**
 * With synchronous_mode on, the two scenarios that lose acknowledged writes under asynchronous
 * replication must lose none; then `lab chaos --seed 1 --duration 3m` must pass on the same lab.
 */
import { scenarioSuite } from './scenario-suite.js';

scenarioSuite({
  fixture: 'scenario-lab-sync.yaml',
  lab: 'scensync',
  scenarios: ['failover', 'partition'],
  lossless: true,
  chaos: { seed: 1, duration: '3m', quiet: '30s' },
});
