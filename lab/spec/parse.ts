/**
 * lab.yaml's text -> LabSpec: parse, fill defaults, validate against the schema, then check what a
 * schema cannot say (quorum, duplicates, subnet membership, Patroni's timing rule). Every problem is
 * reported at once with its path and, where the YAML gives it, its line. load.ts reads the file.
 */
import { Value } from '@sinclair/typebox/value';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { SpecError, type SpecProblem } from '../errors.js';
import { LabSpecSchema, type LabSpec, type RawLabSpec } from './schema.js';
import { semanticProblems, resolveSpec } from './rules.js';
import { schemaProblems } from './schema-problems.js';
import { yamlValue } from './yaml-value.js';

export interface LoadedSpec {
  spec: LabSpec;
  warnings: string[];
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
  const problems = schemaProblems(LabSpecSchema, withDefaults);
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
    throw new SpecError(file, [
      { path: '', message: `not valid YAML: ${first.message.split('\n')[0]}`, line: counter.linePos(first.pos[0]).line },
    ]);
  }
  const read = yamlValue(doc);
  if ('problem' in read) throw new SpecError(file, [{ path: '', message: read.problem }]);
  const { spec, problems, warnings } = validateSpec(read.value);
  if (!spec)
    throw new SpecError(
      file,
      problems.map((p) => ({ ...p, line: p.path ? lineOf(doc, counter, p.path) : undefined })),
    );
  return { spec, warnings };
}
