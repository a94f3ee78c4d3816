/** The Docker lab fixture test/fixtures/docker-lab-dk1.yaml, resolved: the spec the pure Docker tests build on. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSpec } from '../../../lab/spec/parse.js';
import { ROOT } from '../../helpers.js';

export const { spec: DK1 } = parseSpec(readFileSync(path.join(ROOT, 'test/fixtures/docker-lab-dk1.yaml'), 'utf8'));
