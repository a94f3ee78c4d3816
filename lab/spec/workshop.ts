/**
 * workshop.yaml: a class of identical seats, each a complete lab, across one or more Docker engines.
 * One TypeBox schema gives the type and the validator; what a schema cannot say (the lab each seat
 * runs, the pool holding every seat's subnet, the engines holding every seat) is checked here too,
 * and every problem is reported at once, before anything is written or created.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { ExitCode, LabError, SpecError, type SpecProblem } from '../errors.js';
import { prefixOf } from '../net.js';
import { validateSpec } from './parse.js';
import { CIDR, enumOf, IPV4, label, type LabSpec, type StringForm } from './schema.js';
import { schemaProblems } from './schema-problems.js';
import { yamlValue } from './yaml-value.js';

/** The provisioner stage a seat starts at: the steps already done for the attendee. */
export const STAGES = ['packages', 'etcd', 'full'] as const;
export type Stage = (typeof STAGES)[number];

/** Seat labs are named `<workshop>-s<NN>`, within a lab name's 20 characters. */
const WORKSHOP_NAME = label(14);
export const MAX_SEATS = 99;
/** Each seat's network is one /24 of the pool. */
export const SEAT_PREFIX = 24;

const ENGINE_HOST: StringForm = {
  pattern:
    '^(unix:///[A-Za-z0-9._/-]+|tcp://[A-Za-z0-9.-]+(:[0-9]{1,5})?|ssh://([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?)$',
  allowed: 'an engine address as DOCKER_HOST writes it: unix:///path/to/docker.sock, tcp://host:2376 or ssh://user@host',
};
const LAB_FILE: StringForm = {
  pattern: '^[A-Za-z0-9._/-]+\\.ya?ml$',
  allowed: 'the path of a lab.yaml (letters, digits, ".", "_", "-" and "/", ending in .yaml or .yml)',
};
const CERT_DIR: StringForm = {
  pattern: '^[A-Za-z0-9._/-]+$',
  allowed: 'a directory holding ca.pem, cert.pem and key.pem (as DOCKER_CERT_PATH)',
};

const EngineSchema = Type.Object(
  {
    name: Type.String({ ...label(20), description: 'Names the engine in status and handouts' }),
    host: Type.Optional(
      Type.String({ ...ENGINE_HOST, description: 'The engine address; absent: DOCKER_HOST, else the local socket' }),
    ),
    tlsCertPath: Type.Optional(
      Type.String({ ...CERT_DIR, description: 'For tcp:// with TLS: the directory of ca.pem, cert.pem, key.pem' }),
    ),
    memoryMiB: Type.Integer({
      minimum: 256,
      maximum: 4_194_304,
      description: 'Memory the seats on this engine may use, in MiB: its capacity',
    }),
    concurrency: Type.Integer({ minimum: 1, maximum: 16, default: 2, description: 'Seats brought up at once on this engine' }),
  },
  { additionalProperties: false },
);

export const WorkshopSchema = Type.Object(
  {
    name: Type.String({
      ...WORKSHOP_NAME,
      default: 'workshop',
      description: 'Names the workshop directory and every seat (`<name>-s01`...)',
    }),
    lab: Type.Union([Type.String({ ...LAB_FILE }), Type.Object({}, { additionalProperties: true })], {
      default: {},
      description:
        "The lab every seat runs: a lab.yaml path (relative to this file) or the lab inline; its network and provider are the workshop's",
    }),
    seats: Type.Integer({ minimum: 1, maximum: MAX_SEATS, default: 3, description: 'Number of seats' }),
    stage: enumOf(STAGES, {
      default: 'full',
      description:
        "Where each seat starts: 'packages' (the attendee does etcd and Patroni), 'etcd' (etcd done), 'full' (a running cluster, for chaos)",
    }),
    pool: Type.String({
      ...CIDR,
      default: '10.100.0.0/16',
      description: "Seats' subnets are the /24s of this range, one per seat, on every engine",
    }),
    publishAddress: Type.String({
      ...IPV4,
      default: '127.0.0.1',
      description: "Host address the seats' ssh ports are published on; anything but 127.0.0.1 exposes them",
    }),
    sshPortBase: Type.Integer({
      minimum: 1024,
      maximum: 65000,
      default: 2200,
      description: "Seat n's ssh is published on port sshPortBase + n, fixed so handouts stay true after a reset",
    }),
    nodeMemoryMiB: Type.Integer({
      minimum: 64,
      maximum: 65536,
      default: 160,
      description: 'Memory one node needs (about 140 MiB measured), for placement',
    }),
    engines: Type.Array(EngineSchema, {
      minItems: 1,
      maxItems: 32,
      default: [{ name: 'local', memoryMiB: 4096 }],
      description: 'The Docker engines the seats are placed on',
    }),
  },
  { additionalProperties: false, title: 'pgha-lab workshop.yaml' },
);

export type RawWorkshop = Static<typeof WorkshopSchema>;
export type EngineSpec = RawWorkshop['engines'][number];

export interface WorkshopSpec extends Omit<RawWorkshop, 'lab'> {
  /** The lab as written (a lab.yaml's value, or the inline one), before each seat's name and network. */
  lab: Record<string, unknown>;
  /** Nodes per seat. */
  nodesPerSeat: number;
}

/** Seats an engine can hold: its memory over a seat's (nodes x node memory). Pure. */
export function engineSeatCapacity(engine: Pick<EngineSpec, 'memoryMiB'>, nodesPerSeat: number, nodeMemoryMiB: number): number {
  return Math.floor(engine.memoryMiB / (nodesPerSeat * nodeMemoryMiB));
}

/** The lab.yaml value a seat runs: the workshop's lab with the seat's name, subnet and the Docker provider. Pure. */
export function seatLabValue(lab: Record<string, unknown>, name: string, subnet: string): Record<string, unknown> {
  const network = typeof lab.network === 'object' && lab.network !== null ? lab.network : {};
  return { ...lab, name, provider: 'docker', network: { ...network, subnet } };
}

function labProblems(lab: Record<string, unknown>): { problems: SpecProblem[]; spec?: LabSpec } {
  const problems: SpecProblem[] = [];
  for (const key of ['name', 'provider'] as const) {
    if (key in lab) problems.push({ path: `lab.${key}`, message: `a workshop sets each seat's ${key}; remove it` });
  }
  if (typeof lab.network === 'object' && lab.network !== null && 'subnet' in lab.network)
    problems.push({ path: 'lab.network.subnet', message: 'a workshop gives each seat a subnet from pool; remove it' });
  if (Array.isArray(lab.nodes) && lab.nodes.some((n) => typeof n === 'object' && n !== null && 'ip' in n))
    problems.push({ path: 'lab.nodes', message: 'a workshop gives each seat its addresses; remove nodes[].ip' });
  if (problems.length > 0) return { problems };
  // Checked as a seat would run it, with a placeholder name and subnet.
  const checked = validateSpec(seatLabValue(lab, 'seat', '10.0.0.0/24'));
  return {
    problems: checked.problems.map((p) => ({ ...p, path: p.path ? `lab.${p.path}` : 'lab' })),
    ...(checked.spec ? { spec: checked.spec } : {}),
  };
}

/** Validates a workshop.yaml value whose lab (if a file) is already read. Pure. */
export function validateWorkshop(
  input: unknown,
  readLab?: { file: string; value: unknown },
): { spec?: WorkshopSpec; problems: SpecProblem[]; warnings: string[] } {
  if (input === null || input === undefined) input = {};
  if (typeof input !== 'object' || Array.isArray(input))
    return { problems: [{ path: '', message: 'expected a mapping of settings (see `lab workshop init`)' }], warnings: [] };
  const raw = Value.Default(WorkshopSchema, structuredClone(input)) as RawWorkshop;
  const problems = schemaProblems(WorkshopSchema, raw);
  if (problems.length > 0) return { problems, warnings: [] };
  let lab: Record<string, unknown>;
  if (typeof raw.lab === 'string') {
    const value = readLab?.value ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { problems: [{ path: 'lab', message: `${raw.lab} is not a mapping of lab settings` }], warnings: [] };
    lab = value as Record<string, unknown>;
  } else lab = raw.lab;
  const checked = labProblems(lab);
  problems.push(
    ...checked.problems.map((p) => (typeof raw.lab === 'string' ? { ...p, message: `(in ${raw.lab}) ${p.message}` } : p)),
  );
  const names = raw.engines.map((e) => e.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      problems.push({ path: `engines[${i}].name`, message: `${n} is already the name of engines[${names.indexOf(n)}]` });
  });
  raw.engines.forEach((e, i) => {
    if (e.tlsCertPath && !e.host?.startsWith('tcp://'))
      problems.push({ path: `engines[${i}].tlsCertPath`, message: 'TLS certificates apply to a tcp:// host only' });
  });
  const prefix = prefixOf(raw.pool);
  if (prefix > SEAT_PREFIX)
    problems.push({
      path: 'pool',
      message: `expected a range of /${SEAT_PREFIX} or larger (each seat takes a /${SEAT_PREFIX}), got /${prefix}`,
    });
  // Seat n takes block n: block 0 stays free, so seat numbers and subnets read alike (s01: 10.100.1.0/24).
  else if (2 ** (SEAT_PREFIX - prefix) - 1 < raw.seats)
    problems.push({
      path: 'pool',
      message: `${raw.pool} holds ${2 ** (SEAT_PREFIX - prefix) - 1} seat networks (/${SEAT_PREFIX}), fewer than seats: ${raw.seats}`,
    });
  if (!checked.spec) return { problems, warnings: [] };
  const nodesPerSeat = checked.spec.nodes.length;
  const capacity = raw.engines.reduce((sum, e) => sum + engineSeatCapacity(e, nodesPerSeat, raw.nodeMemoryMiB), 0);
  if (capacity < raw.seats) {
    problems.push({
      path: 'seats',
      message: `the engines hold ${capacity} seat(s) of ${nodesPerSeat} nodes x ${raw.nodeMemoryMiB} MiB, fewer than seats: ${raw.seats}; add engines or raise engines[].memoryMiB`,
    });
  }
  if (problems.length > 0) return { problems, warnings: [] };
  const warnings =
    raw.publishAddress === '127.0.0.1'
      ? []
      : [`publishAddress: ${raw.publishAddress} exposes every seat's ssh port beyond this host`];
  return { spec: { ...raw, lab, nodesPerSeat }, problems: [], warnings };
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new SpecError(file, [{ path: '', message: `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}` }]);
  const read = yamlValue(doc);
  if ('problem' in read) throw new SpecError(file, [{ path: '', message: read.problem }]);
  return read.value;
}

async function readText(file: string, hint: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message;
    throw new LabError(`${file}: ${why}`, ExitCode.badInput, hint);
  }
}

/** Reads workshop.yaml (and the lab.yaml it names); throws SpecError listing every problem. */
export async function loadWorkshop(file: string): Promise<{ spec: WorkshopSpec; warnings: string[] }> {
  const value = parseYaml(await readText(file, 'create one with `lab workshop init`, or name another with -w FILE'), file);
  const labRef = typeof value === 'object' && value !== null ? (value as { lab?: unknown }).lab : undefined;
  let readLab: { file: string; value: unknown } | undefined;
  if (typeof labRef === 'string' && new RegExp(LAB_FILE.pattern).test(labRef)) {
    const labFile = path.resolve(path.dirname(file), labRef);
    readLab = {
      file: labFile,
      value: parseYaml(await readText(labFile, `lab: in ${file} names it; create it with \`lab init\``), labFile),
    };
  }
  const { spec, problems, warnings } = validateWorkshop(value, readLab);
  if (!spec) throw new SpecError(file, problems);
  return { spec, warnings };
}
