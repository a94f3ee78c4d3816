/**
 * lab.yaml -> LabSpec: parse, fill defaults, validate against the schema, then check what a schema
 * cannot say (quorum, duplicates, subnet membership, Patroni's timing rule). Every problem is
 * reported at once with its path and, where the YAML gives it, its line.
 */
import { readFile } from 'node:fs/promises';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { ExitCode, LabError, SpecError, type SpecProblem } from '../errors.js';
import { LabSpecSchema, SUPPORTED_PG_VERSIONS, type LabSpec, type RawLabSpec } from './schema.js';
import { semanticProblems, resolveSpec } from './rules.js';

export interface LoadedSpec {
  spec: LabSpec;
  warnings: string[];
}

/** Turns TypeBox's JSON pointer (`/nodes/2/ip`) into the form users read (`nodes[2].ip`). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function pathSegments(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function lineOf(doc: Document, counter: LineCounter, path: string): number | undefined {
  const segments = pathSegments(path);
  for (let n = segments.length; n > 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function describeSchemaError(error: { path: string; message: string; value: unknown; schema: Record<string, unknown> }): SpecProblem {
  const path = pointerToPath(error.path);
  const schema = error.schema;
  const got = error.value === undefined ? 'nothing' : JSON.stringify(error.value);
  if (schema.anyOf && Array.isArray(schema.anyOf)) {
    const options = (schema.anyOf as { const?: unknown }[]).map((s) => JSON.stringify(s.const)).join(', ');
    return { path, message: `expected one of ${options}, got ${got}` };
  }
  if (typeof schema.pattern === 'string' && typeof error.value === 'string') {
    const what = typeof schema.description === 'string' ? schema.description : `a string matching ${schema.pattern}`;
    return { path, message: `expected ${what.charAt(0).toLowerCase() + what.slice(1)}, got ${got}` };
  }
  return { path, message: `${error.message.charAt(0).toLowerCase() + error.message.slice(1)}, got ${got}` };
}

/** Schema problems, with unknown keys named (TypeBox reports them at the parent). */
function schemaProblems(candidate: unknown): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(LabSpecSchema, candidate)) {
    if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      // TypeBox names the unknown key's path but hands us the parent's schema: list what is allowed.
      const allowed = Object.keys((error.schema as { properties?: object }).properties ?? {});
      problems.push({ path: pointerToPath(error.path), message: `unknown key; expected one of ${allowed.join(', ')}` });
      continue;
    }
    const problem = describeSchemaError(error as never);
    const key = `${problem.path}\u0000${problem.message}`;
    // A union reports each failed branch: one line per path is what a user needs.
    if (seen.has(problem.path) || seen.has(key)) continue;
    seen.add(problem.path);
    problems.push(problem);
  }
  return problems;
}

/** Validates an already-parsed lab.yaml value. Pure: used by the loader and by tests. */
export function validateSpec(input: unknown): { spec?: LabSpec; problems: SpecProblem[]; warnings: string[] } {
  if (input === null || input === undefined) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { problems: [{ path: '', message: 'expected a mapping of settings (see `lab init`)' }], warnings: [] };
  }
  const candidate = structuredClone(input) as Record<string, unknown>;
  // A section written as a bare `docker:` (all its lines commented out) is YAML null: read it as empty.
  for (const [key, value] of Object.entries(candidate)) {
    if (value === null && LabSpecSchema.properties[key as keyof RawLabSpec]?.type === 'object') delete candidate[key];
  }
  const withDefaults = Value.Default(LabSpecSchema, candidate) as RawLabSpec;
  const problems = schemaProblems(withDefaults);
  if (problems.length > 0) return { problems, warnings: [] };
  const { problems: semantic, warnings } = semanticProblems(withDefaults);
  if (semantic.length > 0) return { problems: semantic, warnings };
  return { spec: resolveSpec(withDefaults), problems: [], warnings };
}

/** Parses lab.yaml text; `file` only names it in errors. Throws SpecError listing every problem. */
export function parseSpec(text: string, file = 'lab.yaml'): LoadedSpec {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // Later YAML errors are usually echoes of the first; the first is the one to fix.
    const first = doc.errors[0]!;
    throw new SpecError(file, [{ path: '', message: `not valid YAML: ${first.message.split('\n')[0]}`, line: counter.linePos(first.pos[0]).line }]);
  }
  const { spec, problems, warnings } = validateSpec(doc.toJS());
  if (!spec) throw new SpecError(file, problems.map((p) => ({ ...p, line: p.path ? lineOf(doc, counter, p.path) : undefined })));
  return { spec, warnings };
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LabError(`${file} not found`, ExitCode.badInput, 'create one with `lab init`, or name another with -f FILE');
    }
    throw new LabError(`cannot read ${file}: ${(e as Error).message}`, ExitCode.badInput);
  }
  return parseSpec(text, file);
}

export { SUPPORTED_PG_VERSIONS };
