/**
 * What each `lab …` example of the README, docs/ and the commands' help (examples.ts) claims, and
 * where a test holds it to that. Keyed by the example as written: the same words in several places
 * make one claim. Every example has a claim and every claim an example (examples.test.ts).
 *
 * - `docker-lab`: run on the Docker half's shared lab (test/fixtures/scenario-lab.yaml: three nodes,
 *   HAProxy and PgBouncer), healthy, by test/integration/examples-on-lab.ts, with the lab's --file
 *   and --dir added; `run` gives the arguments when the example has placeholders (the substitution).
 * - `dba-path`: one of the README's "Quick start: a DBA" commands, run in its order by
 *   test/integration/dba-path.ts on the lab `lab init` wrote.
 * - `no-lab`: needs no running lab; run by examples.test.ts itself in a temp dir.
 * - `covered`: run for real by another test, which `file` names and which still contains `finds`.
 * - `notRun`: not run by any test, and why; kept few.
 * - `notACommand`: `lab` words that are not a command a user types (a program's output quoted).
 */

export interface RunClaim {
  /** The arguments after `lab`, when they differ from the example's (a placeholder filled in). */
  run?: string[];
  /** Given on stdin: a shell or psql without a terminal reads its commands there. */
  input?: string;
  /** What the output (stdout and stderr) must show. */
  shows: RegExp;
  /** What it must not show. */
  hides?: RegExp;
  /** 0 unless said. */
  exitCode?: number;
}

export type Claim =
  | ({ on: 'docker-lab' | 'dba-path' | 'no-lab' } & RunClaim)
  | { on: 'covered'; file: string; finds: string }
  | { on: 'notRun'; why: string }
  | { on: 'notACommand'; why: string };

/** The README's DBA block, after `lab init`: the lab's name and directory (labs/pgha). */
const DBA_LAB = 'pgha';

const COVERED_SCENARIOS = {
  on: 'covered',
  file: 'test/integration/scenarios-shipped.ts',
  finds: "readdirSync(path.join(ROOT, 'scenarios'))",
} as const;
const CI_JOB = { on: 'covered', file: 'test/integration/ci-job.ts', finds: 'scripts/ci-job.sh' } as const;
const DOWN_IMAGES: Claim = {
  on: 'notRun',
  why: "it removes the node image CI's other labs are built from while they run; `lab down` without it is run",
};
const LAB_CHECK: Claim = { on: 'covered', file: 'test/commands/check.test.ts', finds: "runLab(['check'" };
const BACKUP_DRILL = (finds: string): Claim => ({ on: 'covered', file: 'test/integration/backup.ts', finds });
const WORKSHOP = (finds: string): Claim => ({ on: 'covered', file: 'test/integration/workshop.ts', finds });

export const CLAIMS: Record<string, Claim> = {
  // The DBA's quick start, in the README's order (dba-path.ts).
  'lab init': { on: 'dba-path', shows: /wrote lab\.yaml and lab\.schema\.json: three Ubuntu nodes/ },
  // No VirtualBox on CI's hosts: doctor names it and the fix, Vagrant's docker provider among them.
  'lab doctor': {
    on: 'dba-path',
    shows: /VirtualBox not installed\n\s+fix: .*vm\.provider: docker/,
    exitCode: 4,
  },
  'lab generate': { on: 'dba-path', shows: new RegExp(`Next: \\(cd labs/${DBA_LAB} && vagrant up\\), then lab status`) },
  // "members, roles, timelines, lag, etcd health"
  'lab status': { on: 'dba-path', shows: /Member .* Role .* TL \| Lag in MB[\s\S]*Leader[\s\S]*etcd members: [\s\S]*healthy/ },
  // "crash the leader; see who takes over and what was lost"
  'lab scenario failover': {
    on: 'dba-path',
    shows: /scenario failover: PASS[\s\S]*crash-node on leader[\s\S]*took over[\s\S]*no-lost-writes: /,
  },
  'lab down': { on: 'dba-path', shows: /removed/ },

  // The README's commands, and the docs', on the shared Docker lab.
  'lab up --provider docker': { on: 'docker-lab', shows: /already up and healthy: nothing changed/ },
  'lab up [--provider docker]': { on: 'docker-lab', run: ['up', '--provider', 'docker'], shows: /already up and healthy/ },
  'lab up': { on: 'covered', file: 'test/integration/docker.ts', finds: "runLab(lab, ['up'], 900_000)" },
  'lab status [--json]': { on: 'docker-lab', run: ['status', '--json'], shows: /"healthy": true/ },
  'lab status --json': { on: 'docker-lab', shows: /"healthy": true/ },
  'lab env': { on: 'docker-lab', shows: /export PGHOST=[\s\S]*export PGPASSFILE='[^']+\/pgpass'/ },
  'lab env --path haproxy-rw': {
    on: 'docker-lab',
    shows: /the haproxy-rw path[\s\S]*export PGHOST='127\.0\.0\.1'\nexport PGPORT='\d+'/,
  },
  'lab env [--path P] [--json]': { on: 'docker-lab', run: ['env', '--path', 'pgbouncer', '--json'], shows: /"pgbouncer"/ },
  'lab env --json': { on: 'docker-lab', shows: /"haproxy-rw"[\s\S]*"libpq"/ },
  'lab psql': { on: 'docker-lab', input: 'select 40 + 2;\n', shows: /\b42\b/ },
  'lab psql node2': { on: 'docker-lab', input: 'select inet_server_port(), current_user;\n', shows: /5432 \| postgres/ },
  'lab psql [NODE]': { on: 'docker-lab', run: ['psql', 'node3'], input: 'select 40 + 2;\n', shows: /\b42\b/ },
  "lab psql node2 -- -c 'select pg_is_in_recovery()'": { on: 'docker-lab', shows: /pg_is_in_recovery\s*\n-+\n\s*[tf]\n/ },
  'lab exec node1 -- patronictl list': {
    on: 'docker-lab',
    shows: /Leader[\s\S]*node1[\s\S]*node2[\s\S]*node3|node1[\s\S]*node2[\s\S]*node3/,
  },
  'lab exec NODE -- CMD': { on: 'docker-lab', run: ['exec', 'node2', '--', 'hostname'], shows: /^node2$/m },
  'lab ssh node2': { on: 'docker-lab', input: 'hostname\n', shows: /^node2$/m },
  'lab ssh NODE': { on: 'docker-lab', run: ['ssh', 'node3'], input: 'hostname\n', shows: /^node3$/m },
  // Patroni's own lines, not a traceback for each of HAProxy's checks (they reset a GET's connection).
  'lab logs node1 patroni': {
    on: 'docker-lab',
    shows: /node1 patroni\[\d+\]: .* INFO: no action/,
    hides: /Exception happened during processing of request/,
  },
  'lab logs': { on: 'docker-lab', run: ['logs', 'node1'], shows: /^\w{3} \d\d \d\d:\d\d:\d\d node1 /m },
  // docs/docker-provider.md: a line a healthy container lab's Patroni journal shows, explained there.
  // It is written once, when Patroni starts: the whole journal, not the last 200 lines.
  'lab logs NODE patroni': {
    on: 'docker-lab',
    run: ['logs', 'node1', 'patroni', '--lines', '100000'],
    shows: /modprobe: FATAL: Module softdog not found/,
  },
  'lab logs node1 patroni --lines 100000': { on: 'docker-lab', shows: /modprobe: FATAL: Module softdog not found/ },
  'lab logs NODE [etcd\\|patroni\\|postgres\\|watchdog\\|UNIT]': {
    on: 'docker-lab',
    run: ['logs', 'node2', 'etcd'],
    shows: /etcd/,
  },
  'lab chaos --seed 1 --duration 10m --dry-run': { on: 'docker-lab', shows: /seed 1/ },
  'lab chaos': { on: 'docker-lab', run: ['chaos', '--seed', '1', '--duration', '10m', '--dry-run'], shows: /seed 1/ },
  'lab chaos --seed N --duration 10m [--faults list] [--interval 20s..60s] [--quiet 30s] [--overlap]': {
    on: 'docker-lab',
    run: ['chaos', '--seed', '7', '--duration', '10m', '--interval', '20s..60s', '--quiet', '30s', '--overlap', '--dry-run'],
    shows: /seed 7/,
  },
  'lab heal': { on: 'docker-lab', shows: /no fault in force; nothing to heal/ },
  // DIR is the lab directory, which the test passes as --dir to every example.
  'lab heal -d DIR': { on: 'docker-lab', run: ['heal'], shows: /no fault in force; nothing to heal/ },
  'lab doctor --provider docker': { on: 'docker-lab', shows: /docker\s+ok\s+.*systemd/ },
  'lab doctor [--provider docker]': { on: 'docker-lab', run: ['doctor', '--provider', 'docker'], shows: /docker\s+ok/ },

  // Needs no lab.
  'lab --help': { on: 'no-lab', shows: /lab init[\s\S]*lab workshop <command>/ },
  'lab --version': { on: 'no-lab', shows: /^\d+\.\d+\.\d+\n/ },
  'lab scenario --list': { on: 'no-lab', shows: /failover[\s\S]*switchover/ },
  'lab workshop init': { on: 'no-lab', shows: /workshop\.yaml/ },

  // Run by other tests.
  'lab scenario': COVERED_SCENARIOS,
  'lab scenario NAME': COVERED_SCENARIOS,
  'lab scenario dcs-outage': COVERED_SCENARIOS,
  'lab scenario ... --json': CI_JOB,
  "lab scenario NAME --workload 'CMD'": CI_JOB,
  'lab scenario NAME --workload "$WORKLOAD" --junit --json --html': CI_JOB,
  "lab scenario failover --workload './my-tests.sh' --junit failover.xml --json failover.json": CI_JOB,
  "lab scenario failover --workload './run-my-tests.sh'": CI_JOB,
  'lab down -f ci/lab.yaml': CI_JOB,
  'lab scenario path/to/file.yaml': {
    on: 'covered',
    file: 'test/integration/cgroup2.ts',
    finds: 'test/fixtures/pause-node.yaml',
  },
  'lab chaos --seed 1 --duration 10m --html chaos.html': {
    on: 'covered',
    file: 'test/integration/as-documented-vagrant.ts',
    finds: "chaos: { seed: 1, duration: '3m'",
  },
  'lab image base': { on: 'covered', file: 'test/integration/interrupted-builds.ts', finds: "['image', 'base', '--tag', tag]" },
  'lab workshop': WORKSHOP("runLab(['workshop'"),
  'lab workshop up': WORKSHOP("workshop(['up'])"),
  'lab workshop status': WORKSHOP("workshop(['status', '--json']"),
  'lab workshop status --json': WORKSHOP("workshop(['status', '--json']"),
  'lab workshop status [--json]': WORKSHOP("workshop(['status', '--json']"),
  'lab workshop handout': WORKSHOP("workshop(['handout', '--out'"),
  'lab workshop handout [--out DIR]': WORKSHOP("workshop(['handout', '--out'"),
  'lab workshop reset s02': WORKSHOP("workshop(['reset', 's02'])"),
  'lab workshop down': WORKSHOP("workshop(['down'], 300_000)"),

  'lab down [--images]': DOWN_IMAGES,
  'lab down --images': DOWN_IMAGES,
  'lab image base --suite bookworm': {
    on: 'notRun',
    why: "a second base image from Debian 12's mirror (debootstrap, about 200 MB); CI's labs are Debian 13 (docs/findings.md says why)",
  },

  "lab down of colddk1-aaaaaa removed: [ 'container determined_stonebraker' ]": {
    on: 'notACommand',
    why: "docs/testing.md quotes a reproduction script's output",
  },
  'lab down of colddk1-aaaaaa removed: []': { on: 'notACommand', why: "docs/testing.md quotes a reproduction script's output" },
  'lab image base --suite forky': {
    on: 'covered',
    file: 'test/integration/docker-harness.ts',
    finds: 'buildDebianBase(docker, { tag, suite })',
  },
  'lab scenario restart-rolling': COVERED_SCENARIOS,
  // lab check is offline: run through the CLI on saved files by its own test.
  'lab check RUN.json [--model M]': LAB_CHECK,
  'lab check FILE': LAB_CHECK,
  'lab check run.json': LAB_CHECK,
  'lab check labs/x/chaos/seed-1-….jsonl': LAB_CHECK,
  'lab check run.json --model strict-serializable': LAB_CHECK,
  'lab check run.json --history run.elle.json --history-format elle': LAB_CHECK,
  'lab scenario --json': { on: 'covered', file: 'test/integration/ci-job.ts', finds: 'scripts/ci-job.sh' },
  // pgBackRest: the point-in-time restore drill runs each on a lab with a backup node.
  'lab backup': BACKUP_DRILL("lab(['backup', 'full'])"),
  'lab backup full': BACKUP_DRILL("lab(['backup', 'full'])"),
  'lab backup list': BACKUP_DRILL("lab(['backup', 'list'])"),
  'lab restore': BACKUP_DRILL("lab(['restore', '--to', mark]"),
  'lab restore --to 2026-12-08T10:15:00Z': BACKUP_DRILL("lab(['restore', '--to', mark]"),
};
