/**
 * The handout's exercises as data: for each, the commands an attendee types on each node (the
 * document's own, with the lab's fixes), the lab's scripts as a fallback, a check that passes once it
 * is done, and the checkpoints it turns on. The handout renders them and the workshop test runs the
 * very same commands over ssh, so a page cannot tell an attendee something that does not work. Pure.
 */
import { DOCUMENT_FIXES, TESTING_WATCHDOG_DEVICE, type DocumentFix } from '../render/index.js';
import { ETCD_ENV_FILE, UNITS } from '../render/node-layout.js';
import { SERVICE_PORTS } from '../render/ports.js';
import { LAB_MOUNT, PROVISION_SCRIPTS, scriptCommand, type ProvisionScript } from '../render/provisioning.js';
import type { LabSpec } from '../spec/schema.js';
import type { Stage } from '../spec/workshop.js';
import { GIVEN_BY_STAGE, WATCHDOG_STATE_FILE, type Checkpoint } from './checkpoints.js';

export type ExerciseSpec = Pick<LabSpec, 'nodes' | 'postgres' | 'etcd' | 'watchdog' | 'patroni'>;

/** Lines typed in a shell on one node, in order (`#` lines are the handout's remarks). */
export interface ExerciseStep {
  node: string;
  commands: string[];
}

export type ExerciseId = 'etcd' | 'watchdog' | 'patroni' | 'failover';

export interface Exercise {
  id: ExerciseId;
  title: string;
  /** What the document does here and what differs on this seat. */
  about: string[];
  /** The main path, node by node in the order given. */
  steps: ExerciseStep[];
  /** The document's mistakes this exercise steps around. */
  fixes: DocumentFix[];
  /** The lab's own scripts, typed on the first node, for an attendee who is stuck. */
  fallback?: string[];
  /** Typed on the first node: succeeds once the exercise is done. */
  check: string;
  /** What `lab workshop status` shows once it is done. */
  turnsOn: Checkpoint[];
}

const fixes = (...ids: string[]): DocumentFix[] => DOCUMENT_FIXES.filter((f) => ids.includes(f.id));

/** The lab's step `name` on `node`, as typed there. */
const scriptLine = (name: ProvisionScript['name'], node: string): string =>
  scriptCommand(PROVISION_SCRIPTS.find((s) => s.name === name)!, node).join(' ');

/** The lab's step on every node, typed on the first. */
const scriptFallback = (spec: ExerciseSpec, name: ProvisionScript['name']): string[] =>
  spec.nodes.map((n) => `ssh ${n.name} ${scriptLine(name, n.name)}`);

/** What the stage installed, as the handout says it: the seat's real package source and version. */
export function packagesText(spec: Pick<LabSpec, 'postgres'>): string {
  const v = spec.postgres.version;
  return spec.postgres.packageSource === 'distro'
    ? `Your seat runs the operating system's own packages: PostgreSQL ${v} (postgresql-${v}), Patroni and etcd, installed already. The document's \`percona-release\` and \`percona-postgresql-12\` lines do not apply here.`
    : `Your seat runs Percona's packages, installed already as the document does it, with its version fixed: \`percona-release setup ppg-${v}\` and \`percona-postgresql-${v}\` (the document says ppg-12 and percona-postgresql-12 on a page for PostgreSQL 16), percona-patroni and etcd.`;
}

function etcdExercise(spec: ExerciseSpec): Exercise {
  const percona = spec.postgres.packageSource === 'percona';
  const incremental = spec.etcd.bootstrap === 'incremental';
  const first = spec.nodes[0]!.name;
  const install = (node: string): string[] => [
    `# the document's ${ETCD_ENV_FILE}, fixed, with your addresses`,
    `cp ${LAB_MOUNT}/nodes/${node}/etcd.env ${ETCD_ENV_FILE}`,
    `cat ${ETCD_ENV_FILE}`,
    ...(percona
      ? [
          "# Percona's etcd unit reads no /etc/default/etcd: the lab's drop-in makes it",
          `install -D -m 644 ${LAB_MOUNT}/files/${UNITS.etcd}.conf /etc/systemd/system/${UNITS.etcd}.d/10-lab-config.conf`,
          'systemctl daemon-reload',
        ]
      : []),
    `systemctl enable ${UNITS.etcd}`,
  ];
  const steps: ExerciseStep[] = incremental
    ? spec.nodes.flatMap((n, i): ExerciseStep[] => [
        ...(i === 0
          ? []
          : [
              {
                node: first,
                commands: [
                  `# before ${n.name}'s etcd starts, not after as in the document`,
                  `etcdctl member add ${n.name} --peer-urls=http://${n.ip}:${SERVICE_PORTS.etcdPeer}`,
                ],
              },
            ]),
        { node: n.name, commands: [...install(n.name), `systemctl restart ${UNITS.etcd}`] },
      ])
    : spec.nodes.map((n) => ({
        node: n.name,
        commands: [
          ...install(n.name),
          '# --no-block: a member waits for the others, so the restart would hang until they start too',
          `systemctl restart --no-block ${UNITS.etcd}`,
        ],
      }));
  return {
    id: 'etcd',
    title: 'Form the etcd cluster',
    about: [
      incremental
        ? "The document's flow: node after node, each new member announced with `etcdctl member add` on the running ones, then started with state existing."
        : 'Your files list every member from the start (etcd.bootstrap: static), so the three start together and no `etcdctl member add` is needed.',
    ],
    steps,
    fixes: fixes('etcd-listen-peer-urls', 'etcd-initial-cluster-node3', 'stray-tilde', 'etcd-member-add-order'),
    // One after the other: with the static bootstrap, step 20 waits for health only once a quorum's peers are up.
    fallback: scriptFallback(spec, 'etcd'),
    check: 'etcdctl member list && etcdctl endpoint health --cluster',
    turnsOn: ['etcd'],
  };
}

function watchdogExercise(spec: ExerciseSpec): Exercise {
  return {
    id: 'watchdog',
    title: 'Set up the watchdog',
    about: [
      "The document's commands load the kernel's softdog module (`/etc/modules`, a udev rule, a blacklist to remove). A container cannot load kernel modules, so your seat emulates the watchdog instead: the lab's step installs lab-watchdog, which resets a node when Patroni stops feeding it, as softdog resets a VM. It is the lab's script here, on every node.",
      `Patroni arms the watchdog once it leads (the next exercise, where the watchdog checkpoint turns on); until then ${WATCHDOG_STATE_FILE} does not exist.`,
    ],
    steps: spec.nodes.map((n) => ({ node: n.name, commands: [scriptLine('watchdog', n.name)] })),
    fixes: fixes('softdog'),
    check: `systemctl is-active ${UNITS.watchdog} && ${spec.nodes.map((n) => `ssh ${n.name} test -p ${TESTING_WATCHDOG_DEVICE}`).join(' && ')}`,
    turnsOn: [],
  };
}

function patroniExercise(spec: ExerciseSpec): Exercise {
  const v = spec.postgres.version;
  const config = spec.patroni.configPath;
  const percona = spec.postgres.packageSource === 'percona';
  return {
    id: 'patroni',
    title: 'Start Patroni on every node',
    about: [
      `The document stops the packaged postgresql service and empties the data directory; your stage did that already (the package's cluster is stopped, disabled and dropped). Start ${spec.nodes[0]!.name} first: it bootstraps the cluster, the others clone it.`,
    ],
    steps: spec.nodes.map((n) => ({
      node: n.name,
      commands: [
        `# the document's /var/lib/postgresql/12: ${v} here`,
        `rm -rf /var/lib/postgresql/${v}/main`,
        `install -d -o postgres -g postgres /var/lib/postgresql/${v}`,
        "# the configuration the document never shows: yours, with this seat's addresses and secrets",
        `install -D -m 600 -o postgres -g postgres ${LAB_MOUNT}/nodes/${n.name}/patroni.yml ${config}`,
        ...(percona
          ? [
              "# Patroni 4.1's own unit (Percona's) blocks its start until etcd answers: the lab's drop-in starts it as Debian's does",
              `install -D -m 644 ${LAB_MOUNT}/files/${UNITS.patroni}.conf /etc/systemd/system/${UNITS.patroni}.d/10-lab-config.conf`,
              'systemctl daemon-reload',
            ]
          : []),
        `systemctl enable ${UNITS.patroni}`,
        `systemctl start ${UNITS.patroni}`,
      ],
    })),
    // The version fix speaks of percona-release: on the OS's packages only the data directory's version is left of it.
    fixes: fixes(...(percona ? ['postgres-version'] : []), 'patroni-config-and-postgresql-service', 'sample-passwords'),
    fallback: scriptFallback(spec, 'patroni'),
    check: `patronictl -c ${config} list | grep -w Leader`,
    turnsOn: spec.watchdog.mode === 'off' ? ['leader'] : ['leader', 'watchdog'],
  };
}

function failoverExercise(spec: ExerciseSpec): Exercise {
  const list = `patronictl -c ${spec.patroni.configPath} list`;
  return {
    id: 'failover',
    title: 'Fail the leader over',
    about: [
      `Stop Patroni on the leader: PostgreSQL stops with it and a replica takes over on a new timeline (within ttl, ${spec.patroni.ttl} s). Then start it again: the old leader rejoins as a replica. The Leader row of \`${list}\` names the leader; \`leader\` below reads it for you.`,
    ],
    steps: [
      {
        node: spec.nodes[0]!.name,
        commands: [
          list,
          `leader() { ${list} -f json | python3 -c 'import json, sys; print(" ".join(m["Member"] for m in json.load(sys.stdin) if m["Role"] == "Leader"))'; }`,
          'old=$(leader)',
          'ssh $old systemctl stop patroni',
          '# wait for another leader (seconds)',
          'for i in $(seq 60); do new=$(leader); [ -n "$new" ] && [ "$new" != "$old" ] && break; sleep 2; done',
          list,
          'ssh $old systemctl start patroni',
        ],
      },
    ],
    fixes: [],
    // Every member back and running on the new timeline: the old leader has rejoined.
    check: `${list} -f json | python3 -c 'import json, sys; ms = json.load(sys.stdin); sys.exit(0 if len(ms) == ${spec.nodes.length} and all(m["State"] in ("running", "streaming") and m.get("TL", 0) >= 2 for m in ms) else 1)'`,
    turnsOn: ['failover'],
  };
}

const BUILD: Record<ExerciseId, (spec: ExerciseSpec) => Exercise> = {
  etcd: etcdExercise,
  watchdog: watchdogExercise,
  patroni: patroniExercise,
  failover: failoverExercise,
};

/** The exercises left at a stage, in order: what the stage did not do, then the failover. */
export function seatExercises(stage: Stage, spec: ExerciseSpec): Exercise[] {
  const given = GIVEN_BY_STAGE[stage];
  const ids: ExerciseId[] = [
    ...(given.includes('etcd') ? [] : (['etcd'] as const)),
    ...(given.includes('leader')
      ? []
      : spec.watchdog.mode === 'off'
        ? (['patroni'] as const)
        : (['watchdog', 'patroni'] as const)),
    'failover',
  ];
  return ids.map((id) => BUILD[id](spec));
}
