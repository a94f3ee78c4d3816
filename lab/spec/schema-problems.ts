/**
 * TypeBox's validation errors in the words a user needs, for lab.yaml and scenario files alike:
 * one problem per path, unknown keys with what is allowed, enums spelled out, and for a string of a
 * given form its `allowed` phrase (see StringForm in schema.ts).
 */
import type { TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import type { SpecProblem } from '../errors.js';

/** Turns TypeBox's JSON pointer (`/nodes/2/ip`) into the form users read (`nodes[2].ip`). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

interface ErrorSchema {
  anyOf?: { const?: unknown }[];
  pattern?: string;
  allowed?: string;
  properties?: object;
}

/** Problems of `value` against `schema`; `at` prefixes every path (e.g. `steps[2]`). */
export function schemaProblems(schema: TSchema, value: unknown, at = ''): SpecProblem[] {
  const seen = new Set<string>();
  const problems: SpecProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    const sub = pointerToPath(e.path);
    const path = sub ? (at ? `${at}.${sub}` : sub) : at;
    // A union or a missing value reports once per branch: one line per path is what a user needs.
    if (seen.has(path)) continue;
    seen.add(path);
    const got = e.value === undefined ? 'nothing' : JSON.stringify(e.value);
    const s = e.schema as ErrorSchema;
    let message: string;
    // TypeBox names the unknown key's path but hands over the parent's schema: list what is allowed.
    if (e.type === ValueErrorType.ObjectAdditionalProperties)
      message = `unknown key; expected one of ${Object.keys(s.properties ?? {}).join(', ')}`;
    else if (s.anyOf?.every((a) => 'const' in a))
      message = `expected one of ${s.anyOf.map((a) => JSON.stringify(a.const)).join(', ')}, got ${got}`;
    else if (typeof s.allowed === 'string' && typeof e.value === 'string') message = `expected ${s.allowed}, got ${got}`;
    else if (typeof s.pattern === 'string' && typeof e.value === 'string')
      message = `expected a string matching ${s.pattern}, got ${got}`;
    else message = `${lowerFirst(e.message)}, got ${got}`;
    problems.push({ path, message });
  }
  return problems;
}
