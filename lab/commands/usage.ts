/**
 * What each `lab` command is called and says it does, in the order `lab --help` lists them. The one
 * place these are written: each command's module takes its own from here, and `lab --help` (and
 * `--version`, and a mistyped name) is answered from this table without loading any command's stack.
 */
export const USAGE = {
  init: { command: 'init', describe: 'Write a commented lab.yaml (defaults reproduce the document)' },
  generate: {
    command: 'generate',
    describe: 'Write the Vagrantfile, provisioners and node configs for lab.yaml into the lab directory',
  },
  up: { command: 'up', describe: 'Create and provision the lab, then wait until it is healthy (a second run changes nothing)' },
  status: {
    command: 'status',
    describe:
      'Show the Patroni members (like patronictl list), etcd member health and faults left in force; exit 1 when not healthy or a fault is in force',
  },
  env: {
    command: 'env',
    describe: 'Print connection settings for each entry point (HAProxy, PgBouncer, libpq multi-host) as shell exports or JSON',
  },
  down: {
    command: 'down',
    describe:
      "Remove the lab's containers, network and volumes (and with --images the node and entry images it built), and forget its journaled faults; nothing else",
  },
  scenario: {
    command: 'scenario [scenario]',
    describe: 'Break the running lab on purpose (a scenario from scenarios/ or a YAML file) and check the failover',
  },
  chaos: {
    command: 'chaos',
    describe: 'Seeded random faults against the running lab for a while, judged as a whole (availability, latency, checks)',
  },
  check: {
    command: 'check <file>',
    describe:
      'Judge a saved History again, offline: its checks and the list-append anomaly checker (--model), optionally written for elle-cli',
  },
  heal: {
    command: 'heal',
    describe: 'Heal the faults a scenario left in force (killed before it could), newest first; exit 2 if one does not heal',
  },
  doctor: {
    command: 'doctor',
    describe:
      "Check what the lab's provider needs on this host (Docker engine and systemd containers, or Vagrant and its VM provider; subnet, memory) and print each fix",
  },
  exec: { command: 'exec <node> [command..]', describe: 'Run a command on a node as root (lab exec node1 -- patronictl list)' },
  psql: {
    command: 'psql [node]',
    describe: "Open psql (or run it with the arguments after --) with the lab's credentials, on a node or through an entry path",
  },
  ssh: { command: 'ssh <node>', describe: 'Open a root shell on a node' },
  logs: {
    command: 'logs <node> [service]',
    describe: "Show a node's journal, or one service's (etcd, patroni, postgres, watchdog, or any unit)",
  },
  backup: {
    command: 'backup [type]',
    describe:
      "Take a pgBackRest backup on the backup node (full, diff or incr; default incr, full when there is none), or `lab backup list`: each backup's size and time, and the archive's range",
  },
  restore: {
    command: 'restore',
    describe:
      'Restore the whole cluster to a time (--to), a WAL position (--to-lsn) or the end of the archive (--latest), as Patroni needs it: a healthy lab on a new timeline',
  },
  image: { command: 'image <command>', describe: 'Manage the images the Docker provider runs' },
  workshop: {
    command: 'workshop <command>',
    describe: 'A class of identical, isolated seats across Docker engines: init, up, status, reset, down, handout',
  },
} as const;

export type CommandName = keyof typeof USAGE;
