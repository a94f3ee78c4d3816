/** The Docker lab fixture test/fixtures/docker-lab-dk1.yaml, resolved: the spec the pure Docker tests build on. */
import { readFileSync } from 'node:fs';
import { parseSpec } from '../../../lab/spec/load.js';

export const { spec: DK1 } = parseSpec(readFileSync(new URL('../../fixtures/docker-lab-dk1.yaml', import.meta.url), 'utf8'));
