/**
 * Scenario files (scenarios/*.yaml): parse, validate against the schema, then check what a schema
 * cannot (known faults, conditions and checks; bound expressions; a service each fault accepts).
 * Every problem is reported at once, each named by its path (`steps[2].within`).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { ExitCode, LabError, type SpecProblem } from '../errors.js';
import type { StringForm } from '../spec/schema.js';
import { packageRoot } from '../render/package-files.js';
import { schemaProblems } from '../spec/schema-problems.js';
import { yamlValue } from '../spec/yaml-value.js';
import { isBoundParam, parseBound } from './bounds.js';
import { CHECKS, type CheckSpec } from './checks/index.js';
import { CONDITIONS } from './conditions.js';
import { FAULTS, SERVICES, type Service } from './faults/registry.js';
import { defaultParams } from './faults/kit.js';
import { HAPROXY_NODE, HAPROXY_NODE_FAULTS, TARGET } from './targets.js';
import { pathsOfMode, type EntryPathName } from '../cluster/entry-paths.js';

const Bound = (description: string) =>
  Type.String({
    minLength: 1,
    allowed: 'a duration such as 30s or an expression such as ttl + loop_wait + 10s',
    description: `${description}; e.g. \`ttl + loop_wait + 10s\``,
  });
const Target = Type.String({ ...TARGET, description: 'The node the step acts on' });
const SCENARIO_NAME: StringForm = {
  pattern: '^[a-z][a-z0-9-]*$',
  allowed: 'lowercase letters, digits and dashes, starting with a letter',
};

const STEP_SCHEMAS = {
  wait: Type.Object(
    { wait: Type.String(), within: Type.Optional(Bound('Deadline')), target: Type.Optional(Target) },
    { additionalProperties: false },
  ),
  hold: Type.Object(
    { hold: Type.String(), for: Bound('How long the condition must keep holding'), target: Type.Optional(Target) },
    { additionalProperties: false },
  ),
  fault: Type.Object(
    {
      fault: Type.String(),
      target: Type.Optional(Target),
      service: Type.Optional(Type.Union(SERVICES.map((s) => Type.Literal(s)))),
      to: Type.Optional({ ...Target, description: 'switchover/failover: the candidate; link faults: the other end of the link' }),
      with: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), { description: "The fault's parameters (see its `with:` list)" }),
      ),
    },
    { additionalProperties: false },
  ),
  heal: Type.Object({ heal: Type.String(), target: Type.Optional(Target) }, { additionalProperties: false }),
  sleep: Type.Object({ sleep: Bound('How long to wait') }, { additionalProperties: false }),
} as const;
type StepKind = keyof typeof STEP_SCHEMAS;
const STEP_KINDS = Object.keys(STEP_SCHEMAS) as StepKind[];

const ScenarioSchema = Type.Object(
  {
    name: Type.String({ ...SCENARIO_NAME, description: 'Scenario name' }),
    summary: Type.String({
      minLength: 1,
      allowed: 'a sentence, not empty',
      description: 'What happens and what should follow, in one sentence',
    }),
    steps: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1 }),
    checks: Type.Array(Type.Union([Type.String(), Type.Record(Type.String(), Type.Any())]), { default: [] }),
    clients: Type.Optional(
      Type.Object(
        {
          writers: Type.Optional(
            Type.Array(Type.Union(pathsOfMode('read-write').map((p) => Type.Literal(p))), {
              uniqueItems: true,
              description: 'Read-write paths with a writer client (it inserts a row, then reads it back); [] for none',
            }),
          ),
          readers: Type.Optional(
            Type.Array(Type.Union(pathsOfMode('read-only').map((p) => Type.Literal(p))), {
              uniqueItems: true,
              description: "Read-only paths with a reader client (it reads the first writer's rows); [] for none",
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'Which entry-point clients run (default: a writer on every read-write path the lab has, a reader on its read-only path)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The entry-point clients a scenario asks for; a list left out means every such path the lab has. */
export interface ClientChoice {
  writers?: EntryPathName[];
  readers?: EntryPathName[];
}

export const DEFAULT_WAIT = '120s';

const oneOf = (names: Iterable<string>) => [...names].join(', ');

export type Step =
  | { kind: 'wait'; condition: string; within: string; target?: string }
  | { kind: 'hold'; condition: string; for: string; target?: string }
  | { kind: 'fault'; fault: string; target: string; service?: Service; to?: string; params?: Record<string, unknown> }
  | { kind: 'heal'; fault: string; target?: string }
  | { kind: 'sleep'; duration: string };

export interface Scenario {
  name: string;
  summary: string;
  file: string;
  steps: Step[];
  checks: CheckSpec[];
  /** Absent: every client the lab's entry points allow. */
  clients?: ClientChoice;
}

export class ScenarioError extends LabError {
  constructor(
    readonly file: string,
    readonly problems: SpecProblem[],
  ) {
    super(
      `${file} is not a valid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.path || '(top level)'}: ${p.message}`).join('\n'),
      ExitCode.badInput,
    );
  }
}

function boundProblems(text: string | undefined, at: string): SpecProblem[] {
  if (text === undefined) return [];
  try {
    parseBound(text);
    return [];
  } catch (e) {
    return [{ path: at, message: `${(e as Error).message} in "${text}"` }];
  }
}

function parseStep(raw: Record<string, unknown>, at: string): { step?: Step; problems: SpecProblem[] } {
  const kinds = STEP_KINDS.filter((k) => k in raw);
  if (kinds.length !== 1) {
    return {
      problems: [
        {
          path: at,
          message: `expected exactly one of ${oneOf(STEP_KINDS)} as the step's kind, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`,
        },
      ],
    };
  }
  const kind = kinds[0]!;
  const problems = schemaProblems(STEP_SCHEMAS[kind], raw, at);
  if (problems.length > 0) return { problems };
  switch (kind) {
    case 'wait':
    case 'hold': {
      const s = raw as Static<(typeof STEP_SCHEMAS)['wait']> & Static<(typeof STEP_SCHEMAS)['hold']>;
      const condition = kind === 'wait' ? s.wait : s.hold;
      if (!CONDITIONS[condition])
        problems.push({
          path: `${at}.${kind}`,
          message: `unknown condition "${condition}"; expected one of ${oneOf(Object.keys(CONDITIONS))}`,
        });
      problems.push(...boundProblems(kind === 'wait' ? s.within : s.for, `${at}.${kind === 'wait' ? 'within' : 'for'}`));
      if (s.target === HAPROXY_NODE)
        problems.push({
          path: `${at}.target`,
          message: `${HAPROXY_NODE} runs no Patroni: a ${kind} judges a node of the cluster; expected a node or a role`,
        });
      const target = s.target ?? CONDITIONS[condition]?.defaultTarget;
      const common = { condition, ...(target ? { target } : {}) };
      return {
        problems,
        step: kind === 'wait' ? { kind, ...common, within: s.within ?? DEFAULT_WAIT } : { kind, ...common, for: s.for },
      };
    }
    case 'fault': {
      const s = raw as Static<(typeof STEP_SCHEMAS)['fault']>;
      const def = FAULTS[s.fault];
      if (!def)
        return {
          problems: [
            { path: `${at}.fault`, message: `unknown fault "${s.fault}"; expected one of ${oneOf(Object.keys(FAULTS))}` },
          ],
        };
      if (s.service && !def.services?.includes(s.service)) {
        problems.push({
          path: `${at}.service`,
          message: def.services ? `${s.fault} accepts ${oneOf(def.services)}, got ${s.service}` : `${s.fault} takes no service`,
        });
      }
      if (!s.service && def.services && s.fault !== 'freeze')
        problems.push({ path: `${at}.service`, message: `${s.fault} needs a service: one of ${oneOf(def.services)}` });
      if (s.target === HAPROXY_NODE && !HAPROXY_NODE_FAULTS.includes(s.fault)) {
        problems.push({
          path: `${at}.target`,
          message: `${s.fault} acts on a cluster node; ${HAPROXY_NODE} takes ${oneOf(HAPROXY_NODE_FAULTS)}`,
        });
      }
      if (s.to === HAPROXY_NODE)
        problems.push({ path: `${at}.to`, message: `expected a cluster node or a role, got ${HAPROXY_NODE}` });
      if (s.to && !def.to) problems.push({ path: `${at}.to`, message: `${s.fault} takes no candidate (to:)` });
      if (!s.to && def.to === 'required') problems.push({ path: `${at}.to`, message: `${s.fault} needs a candidate node (to:)` });
      if (s.with && !def.params) problems.push({ path: `${at}.with`, message: `${s.fault} takes no parameters (with:)` });
      const params = defaultParams(def, s.with ?? {});
      if (def.params) problems.push(...schemaProblems(def.params, params, `${at}.with`));
      return {
        problems,
        step: {
          kind,
          fault: s.fault,
          target: s.target ?? 'leader',
          ...(s.service ? { service: s.service } : {}),
          ...(s.to ? { to: s.to } : {}),
          ...(params ? { params } : {}),
        },
      };
    }
    case 'heal': {
      const s = raw as Static<(typeof STEP_SCHEMAS)['heal']>;
      if (s.heal !== 'all' && !FAULTS[s.heal])
        problems.push({
          path: `${at}.heal`,
          message: `expected all or a fault name (${oneOf(Object.keys(FAULTS))}), got "${s.heal}"`,
        });
      return { problems, step: { kind, fault: s.heal, ...(s.target ? { target: s.target } : {}) } };
    }
    case 'sleep': {
      const s = raw as Static<(typeof STEP_SCHEMAS)['sleep']>;
      return { problems: boundProblems(s.sleep, `${at}.sleep`), step: { kind, duration: s.sleep } };
    }
  }
}

function parseCheck(raw: unknown, at: string): { check?: CheckSpec; problems: SpecProblem[] } {
  const [name, params] = typeof raw === 'string' ? [raw, {}] : (Object.entries(raw as object)[0] ?? ['', {}]);
  if (typeof raw === 'object' && Object.keys(raw as object).length !== 1) {
    return { problems: [{ path: at, message: 'expected a check name, or a mapping of one check name to its parameters' }] };
  }
  const def = CHECKS[name];
  if (!def)
    return { problems: [{ path: at, message: `unknown check "${name}"; expected one of ${oneOf(Object.keys(CHECKS))}` }] };
  const given = (params ?? {}) as Record<string, unknown>;
  const problems = schemaProblems(def.params, Value.Default(def.params, structuredClone(given)), `${at}.${name}`);
  // Bounds are strings to the schema; their syntax is checked here, before anything runs.
  for (const [key, schema] of Object.entries(def.params.properties as Record<string, unknown>)) {
    if (isBoundParam(schema) && typeof given[key] === 'string')
      problems.push(...boundProblems(given[key], `${at}.${name}.${key}`));
  }
  return { problems, check: { name, params: given } };
}

/** Validates parsed YAML; `file` names the scenario in errors. Throws ScenarioError listing every problem. */
function validateScenario(input: unknown, file: string): Scenario {
  const value = Value.Default(ScenarioSchema, structuredClone(input ?? {}));
  const top = schemaProblems(ScenarioSchema, value, '');
  if (top.length > 0) throw new ScenarioError(file, top);
  const raw = value as Static<typeof ScenarioSchema>;
  const steps = raw.steps.map((s, i) => parseStep(s as Record<string, unknown>, `steps[${i}]`));
  const checks = raw.checks.map((c, i) => parseCheck(c, `checks[${i}]`));
  const problems = [...steps, ...checks].flatMap((r) => r.problems);
  if (raw.clients?.readers?.length && raw.clients.writers?.length === 0) {
    problems.push({
      path: 'clients.readers',
      message: "a reader reads a writer's rows: expected at least one writer in clients.writers (or leave clients.writers out)",
    });
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return {
    name: raw.name,
    summary: raw.summary,
    file,
    steps: steps.map((s) => s.step!),
    checks: checks.map((c) => c.check!),
    ...(raw.clients ? { clients: raw.clients as ClientChoice } : {}),
  };
}

export function parseScenario(text: string, file: string): Scenario {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.map((e) => ({ path: '', message: `not valid YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const read = yamlValue(doc);
  if ('problem' in read) throw new ScenarioError(file, [{ path: '', message: read.problem }]);
  return validateScenario(read.value, file);
}

/** Where scenarios are looked up by name: scenarios/ in the working directory (the user's own), then the shipped ones. */
export function scenarioDirs(): string[] {
  return [...new Set([path.resolve('scenarios'), path.join(packageRoot(), 'scenarios')])];
}

/** Names of the scenarios shipped with the package. */
export async function shippedScenarios(): Promise<string[]> {
  const files = await readdir(path.join(packageRoot(), 'scenarios'));
  return files
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** A scenario by name (looked up in `dirs`) or by path to a YAML file. */
export async function loadScenario(nameOrFile: string, dirs: readonly string[] = scenarioDirs()): Promise<Scenario> {
  const candidates = /[/\\]|\.ya?ml$/.test(nameOrFile) ? [nameOrFile] : dirs.map((d) => path.join(d, `${nameOrFile}.yaml`));
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    return parseScenario(text, path.relative(process.cwd(), file) || file);
  }
  throw new LabError(
    `no scenario ${nameOrFile} (looked for ${candidates.join(', ')})`,
    ExitCode.badInput,
    'see `lab scenario --list`',
  );
}
