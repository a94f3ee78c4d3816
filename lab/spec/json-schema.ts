/**
 * The schema as editors should see it: a key with a default is optional in lab.yaml (the loader
 * fills it in), so it is dropped from `required`; a string's `allowed` phrase becomes the
 * `patternErrorMessage` that VS Code's JSON and YAML extensions show instead of the bare pattern.
 */
import { LabSpecSchema } from './schema.js';

type Json = { [key: string]: unknown };

function relax(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relax);
  if (!node || typeof node !== 'object') return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, relax(v)]));
  if (typeof out.allowed === 'string') {
    out.patternErrorMessage = `expected ${out.allowed}`;
    delete out.allowed;
  }
  const properties = out.properties as Record<string, Json> | undefined;
  if (properties && Array.isArray(out.required)) {
    out.required = (out.required as string[]).filter((key) => properties[key]?.default === undefined);
    if ((out.required as string[]).length === 0) delete out.required;
  }
  return out;
}

export function editorJsonSchema(): Json {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(relax(LabSpecSchema) as Json) };
}
