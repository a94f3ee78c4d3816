/**
 * The scenarios that degrade rather than kill (partition shapes, lossy and slow links, pauses, the
 * DCS outage with failsafe_mode off and on) on a tuned asynchronous lab of their own, beside the
 * other suites.
 */
import { DEGRADING, scenarioSuite } from './scenario-suite.js';

scenarioSuite({ fixture: 'scenario-lab-degrading.yaml', lab: 'scendeg', scenarios: DEGRADING, lossless: false });
