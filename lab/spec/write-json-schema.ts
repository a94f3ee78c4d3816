/** Build step: publishes the lab.yaml schema as lab.schema.json so editors complete and check lab.yaml. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LabSpecSchema } from './schema.js';

const target = fileURLToPath(new URL('../../../lab.schema.json', import.meta.url));
writeFileSync(target, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...LabSpecSchema }, null, 2) + '\n');
