/**
 * The one schema of lab.yaml. TypeBox makes it a JSON Schema (published as lab.schema.json for
 * editors) and a TypeScript type at once, so validation and types cannot drift apart.
 * Defaults reproduce the Percona document (three Ubuntu nodes at 192.168.1.11-13).
 */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { PROVIDER_KINDS } from './provider-kinds.js';

/** A string enum that stays a literal union in TypeScript and an anyOf of consts in JSON Schema. */
export const enumOf = <const T extends string>(
  values: readonly T[],
  options: { default: NoInfer<T>; description: string },
): TUnsafe<T> =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as TSchema as TUnsafe<T>;

/**
 * A string a user must write in a given form: the pattern checks it, `allowed` says in plain words
 * what the pattern accepts. Error messages use `allowed` as the expectation (`expected ..., got ...`);
 * the description says what the field is for.
 */
export interface StringForm {
  pattern: string;
  allowed: string;
}

/** A DNS label (host names, Docker object names): it can never carry shell or path characters. */
export const label = (max: number): StringForm => ({
  pattern: `^[a-z]([a-z0-9-]{0,${max - 2}}[a-z0-9])?$`,
  allowed: `lowercase letters, digits and dashes, starting with a letter and not ending with a dash, at most ${max} characters`,
});

const LAB_NAME = label(20);
export const NODE_NAME = label(30);
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4: StringForm = { pattern: `^${OCTET}(\\.${OCTET}){3}$`, allowed: 'an IPv4 address such as 192.168.1.11' };
export const CIDR: StringForm = {
  pattern: `${IPV4.pattern.slice(0, -1)}/(3[0-2]|[12]?\\d)$`,
  allowed: 'an IPv4 network in CIDR form such as 192.168.1.0/24',
};
/**
 * Paths written into provisioners, unit and env files: absolute and normalised, in characters that
 * need no quoting anywhere (no spaces, quotes, `$`, `;`, newlines).
 */
export const ABSOLUTE_PATH: StringForm = {
  pattern: '^(/(?!\\.\\.?(/|$))[A-Za-z0-9._-]+)+$',
  allowed:
    "an absolute, normalised path: letters, digits, '.', '_' and '-' between single slashes, no '.' or '..' parts, no trailing slash",
};
/** Patroni's ?lag= value: bytes, or a size with a unit as Patroni parses it. */
const REPLICA_LAG: StringForm = {
  pattern: '^[1-9][0-9]{0,12}(B|kB|MB|GB)?$',
  allowed: 'a WAL size Patroni understands: bytes (1048576) or a number with B, kB, MB or GB (16kB, 1MB)',
};
const CLUSTER_TOKEN: StringForm = {
  pattern: '^[A-Za-z0-9_.-]{1,64}$',
  allowed: "letters, digits, '_', '.' and '-', at most 64 characters",
};
const BOX_NAME: StringForm = {
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$',
  allowed:
    "a Vagrant box name such as bento/ubuntu-24.04: letters, digits, '.', '_' and '-', with at most one '/' between owner and name",
};
const IMAGE_PART = '[a-z0-9]+([._-]+[a-z0-9]+)*';
const DOCKER_IMAGE: StringForm = {
  pattern: `^([a-z0-9.-]+(:[0-9]+)?/)?${IMAGE_PART}(/${IMAGE_PART})*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$`,
  allowed:
    'a Docker image reference such as ubuntu:24.04 or registry.example:5000/team/base:trixie (lowercase name parts, an optional :tag and @sha256: digest)',
};
export const SUPPORTED_PG_VERSIONS = [12, 13, 14, 15, 16, 17, 18] as const;
export const BOXES = ['ubuntu-22.04', 'ubuntu-24.04'] as const;
export const VM_PROVIDERS = ['virtualbox', 'libvirt', 'docker'] as const;

/** The Vagrant providers that boot a box: virtual machines. */
export const BOX_PROVIDERS = ['virtualbox', 'libvirt'] as const;
export type BoxProvider = (typeof BOX_PROVIDERS)[number];

const NodeSchema = Type.Object(
  {
    name: Type.String({ ...NODE_NAME, description: 'Host name of the node' }),
    ip: Type.Optional(Type.String({ ...IPV4, description: 'IPv4 address inside network.subnet' })),
  },
  { additionalProperties: false },
);

const EntrySchema = Type.Object(
  {
    haproxy: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description:
            "HAProxy on a node of its own, as in Percona's HA architecture: port 5000 read-write (checks Patroni's /primary), 5001 read-only (/replica), 7000 stats",
        }),
        name: Type.String({ ...NODE_NAME, default: 'haproxy', description: 'Host name of the HAProxy node' }),
        ip: Type.Optional(
          Type.String({
            ...IPV4,
            description: 'Address of the HAProxy node inside network.subnet; by default the one after the last node',
          }),
        ),
        inter: Type.Integer({
          minimum: 100,
          maximum: 10000,
          default: 500,
          description:
            'Milliseconds between two health checks of a server that is up and steady (Percona shows 3000): how soon a primary that stops answering 200 gets its first failed check',
        }),
        fastinter: Type.Integer({
          minimum: 50,
          maximum: 10000,
          default: 100,
          description:
            'Milliseconds between checks while a server is changing state (after one failed or passed check, until fall or rise is reached): a promoted replica is marked up about (rise - 1) x fastinter after its first 200',
        }),
        downinter: Type.Integer({
          minimum: 50,
          maximum: 10000,
          default: 200,
          description:
            'Milliseconds between checks of a server that is down (the replicas, on the read-write listener): how soon the first 200 of a promoted replica is seen',
        }),
        fall: Type.Integer({
          minimum: 1,
          maximum: 10,
          default: 3,
          description: "Failed checks in a row before a server is marked down; 3 rides out one slow answer of Patroni's REST API",
        }),
        rise: Type.Integer({
          minimum: 1,
          maximum: 10,
          default: 2,
          description:
            'Passed checks in a row before a server is marked up: 2, so one stray 200 from a member changing role does not route to it',
        }),
        maxReplicaLag: Type.Optional(
          Type.String({
            ...REPLICA_LAG,
            description:
              "A staleness bound on the read-only path: its checks ask Patroni's OPTIONS /replica?lag=VALUE, which answers 503 when the replica's WAL is further behind the leader's last position in the DCS than this (bytes, or a size such as 1MB). Absent: /replica, which ignores lag",
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    pgbouncer: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description: 'PgBouncer (port 6432) on the HAProxy node, in front of the read-write path (needs entry.haproxy)',
        }),
        poolMode: enumOf(['session', 'transaction'] as const, {
          default: 'transaction',
          description: 'PgBouncer pool_mode: a server connection per client session, or per transaction',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    libpq: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description:
            'A libpq multi-host connection string listing every node with target_session_attrs=read-write (no node of its own)',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  {
    additionalProperties: false,
    description:
      'How applications reach the cluster: HAProxy, PgBouncer and libpq multi-host (`lab env` prints their settings; scenarios run clients through them). Absent: no entry points',
  },
);

const BackupSchema = Type.Object(
  {
    name: Type.String({
      ...NODE_NAME,
      default: 'backup',
      description: "Host name of the backup node, which holds pgBackRest's repository",
    }),
    ip: Type.Optional(
      Type.String({
        ...IPV4,
        description:
          'Address of the backup node inside network.subnet; by default the one after the last machine (the HAProxy node when there is one)',
      }),
    ),
    retentionFull: Type.Integer({
      minimum: 1,
      maximum: 99,
      default: 2,
      description:
        'Full backups kept (repo1-retention-full); an older full backup, its differential and incremental backups and the WAL only they need are expired after each backup',
    }),
    retentionDiff: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 99,
        description:
          'Differential backups kept (repo1-retention-diff); absent: pgBackRest keeps them as long as their full backup',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "pgBackRest, with its repository on a backup node of its own as in Percona's HA architecture: WAL archived from every node, `lab backup`, `lab restore` (point in time, Patroni's way). Absent: no backups",
  },
);

export const LabSpecSchema = Type.Object(
  {
    name: Type.String({
      ...LAB_NAME,
      default: 'pgha',
      description: 'Lab name: names the lab directory, the Patroni scope and every Docker object the lab creates',
    }),
    provider: enumOf(PROVIDER_KINDS, {
      default: 'vagrant',
      description: 'What runs the nodes: Vagrant VMs (as in the document) or systemd containers on a local Docker engine',
    }),
    size: Type.Integer({
      minimum: 1,
      maximum: 7,
      default: 3,
      description: 'Number of nodes, each running etcd, PostgreSQL and Patroni. Use an odd number (3 or 5) so etcd keeps quorum',
    }),
    nodes: Type.Optional(
      Type.Array(NodeSchema, {
        minItems: 1,
        maxItems: 7,
        description: "Names and addresses of the nodes; by default node1..nodeN at the subnet's .11, .12, ...",
      }),
    ),
    network: Type.Object(
      {
        subnet: Type.String({
          ...CIDR,
          default: '192.168.1.0/24',
          description: 'The lab network (the document uses 192.168.1.0/24)',
        }),
        firstHost: Type.Integer({
          minimum: 2,
          maximum: 250,
          default: 11,
          description: 'Host number of the first node when nodes[].ip is not given',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    vm: Type.Object(
      {
        provider: enumOf(VM_PROVIDERS, {
          default: 'virtualbox',
          description:
            "Vagrant provider: VirtualBox or libvirt VMs, or 'docker', Vagrant's own docker provider (systemd containers with sshd, built from docker.baseImage; the watchdog is emulated as in the Docker provider)",
        }),
        box: enumOf(BOXES, { default: 'ubuntu-22.04', description: 'Ubuntu release of the VMs' }),
        boxName: Type.Optional(
          Type.String({
            ...BOX_NAME,
            description: 'Override the Vagrant box the chosen VM provider boots (not for vm.provider docker, which boots no box)',
          }),
        ),
        memory: Type.Integer({ minimum: 1024, maximum: 65536, default: 2048, description: 'Memory of each VM in MiB' }),
        cpus: Type.Integer({ minimum: 1, maximum: 16, default: 2, description: 'CPUs of each VM' }),
      },
      { additionalProperties: false, default: {} },
    ),
    docker: Type.Object(
      {
        baseImage: Type.Optional(
          Type.String({
            ...DOCKER_IMAGE,
            description:
              'Base image of the node containers (default: ubuntu:<vm.box version>); must be present locally or pullable',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    postgres: Type.Object(
      {
        version: Type.Integer({ default: 16, description: "PostgreSQL major version, 12 to 18 (the document's page is for 16)" }),
        packageSource: enumOf(['percona', 'distro'] as const, {
          default: 'percona',
          description:
            "Where packages come from: 'percona' (percona-release, as in the document; percona-haproxy and percona-pgbouncer on the HAProxy node) or 'distro' (the OS's own postgresql, patroni and etcd; haproxy and pgbouncer on the HAProxy node)",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    patroni: Type.Object(
      {
        configPath: Type.String({
          ...ABSOLUTE_PATH,
          default: '/etc/patroni/config.yml',
          description: "Where Patroni's configuration is written on each node",
        }),
        ttl: Type.Integer({ default: 30, description: 'Leader key TTL in seconds (Patroni minimum 20)' }),
        loopWait: Type.Integer({ default: 10, description: 'Seconds between HA loops (minimum 1)' }),
        retryTimeout: Type.Integer({
          default: 10,
          description: 'Seconds before DCS and PostgreSQL operations are retried (minimum 3)',
        }),
        synchronousMode: Type.Boolean({
          default: false,
          description: 'Patroni synchronous_mode: a commit is acknowledged only once a replica has it',
        }),
        primaryStartTimeout: Type.Integer({
          minimum: 0,
          default: 300,
          description: 'Seconds Patroni waits for a crashed primary to restart before failing over',
        }),
        failsafeMode: Type.Boolean({
          default: false,
          description: 'Keep the primary writable while etcd is unreachable, if all members agree',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    watchdog: Type.Object(
      {
        mode: enumOf(['off', 'automatic', 'required'] as const, {
          default: 'automatic',
          description: "Patroni watchdog mode: 'automatic' uses softdog when present, 'required' refuses leadership without it",
        }),
        safetyMargin: Type.Integer({
          minimum: 0,
          default: 5,
          description: 'Seconds between the watchdog firing and the leader key expiring',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    etcd: Type.Object(
      {
        bootstrap: enumOf(['static', 'incremental'] as const, {
          default: 'static',
          description:
            "'static': all members start together; 'incremental': the document's flow, one `member add` before each new member starts",
        }),
        clusterToken: Type.String({
          ...CLUSTER_TOKEN,
          default: 'devops_token',
          description: "etcd's initial cluster token (ETCD_INITIAL_CLUSTER_TOKEN)",
        }),
        dataDir: Type.String({
          ...ABSOLUTE_PATH,
          default: '/var/lib/etcd/postgresql',
          description: "etcd's data directory on each node (ETCD_DATA_DIR)",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    entry: Type.Optional(EntrySchema),
    backup: Type.Optional(BackupSchema),
  },
  { additionalProperties: false, $id: 'https://pgha-lab.dev/lab.schema.json', title: 'pgha-lab lab.yaml' },
);

/** lab.yaml after defaults, as the schema describes it. */
export type RawLabSpec = Static<typeof LabSpecSchema>;

export interface LabNode {
  name: string;
  ip: string;
  /** 1-based position; etcd incremental bootstrap and Vagrant order follow it. */
  index: number;
}

type RawEntry = NonNullable<RawLabSpec['entry']>;

/** The entry points once resolved: each one absent (null) or with every value filled in. */
export interface EntrySpec {
  haproxy: (Omit<RawEntry['haproxy'], 'enabled' | 'ip'> & { ip: string }) | null;
  pgbouncer: Omit<RawEntry['pgbouncer'], 'enabled'> | null;
  libpq: boolean;
}

/** The backup node once resolved: its address filled in, the stanza named. */
export type BackupSpec = Omit<NonNullable<RawLabSpec['backup']>, 'ip'> & {
  ip: string;
  /** pgBackRest's stanza: the lab's name, as Patroni's scope. */
  stanza: string;
};

/** The resolved spec every other module reads: node list filled in, derived values computed. */
export interface LabSpec extends Omit<RawLabSpec, 'nodes' | 'docker' | 'entry' | 'backup'> {
  /** Null when lab.yaml has no `entry:` section. */
  entry: EntrySpec | null;
  /** Null when lab.yaml has no `backup:` section. */
  backup: BackupSpec | null;
  nodes: LabNode[];
  docker: { baseImage: string };
  /** boxes: the box each VM provider boots, for its block of the Vagrantfile (boxName applied to vm.provider's). */
  vm: Omit<RawLabSpec['vm'], 'boxName'> & { boxes: Record<BoxProvider, string> };
  network: RawLabSpec['network'] & { prefixLength: number; netmask: string };
}

/** Every machine of the lab: the nodes, then the HAProxy node when entry.haproxy has one, then the backup node. */
export function machineNames(spec: Pick<LabSpec, 'nodes' | 'entry'> & { backup?: LabSpec['backup'] }): string[] {
  return [
    ...spec.nodes.map((n) => n.name),
    ...(spec.entry?.haproxy ? [spec.entry.haproxy.name] : []),
    ...(spec.backup ? [spec.backup.name] : []),
  ];
}
