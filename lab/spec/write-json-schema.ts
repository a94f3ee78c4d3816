/** Build step: publishes the lab.yaml schema as lab.schema.json so editors complete and check lab.yaml. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { editorJsonSchema } from './json-schema.js';

const target = fileURLToPath(new URL('../../../lab.schema.json', import.meta.url));
writeFileSync(target, JSON.stringify(editorJsonSchema(), null, 2) + '\n');
