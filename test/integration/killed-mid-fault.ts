/**
 * A scenario killed hard (SIGKILL, as the OOM killer or a CI runner's timeout does) while its fault is
 * in force, for each fault that leaves something behind: the fault stays journaled in the lab dir,
 * `lab status` names it and exits non-zero, a new scenario refuses before it waits for anything and
 * gives the `lab heal` command, `lab heal` undoes the fault from the journal alone, and the lab
 * recovers. kill-service is here too, to show what really stays: systemd restarts the unit at once
 * (Restart=on-failure / on-abnormal), so the journal names it but the node shows nothing of it.
 * Run by docker.ts on its lab, healthy.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Test } from 'tap';
import { waitUntil } from '../../lab/clock.js';
import { ExitCode } from '../../lab/errors.js';
import { FaultJournal, type JournalEntry } from '../../lab/labdir/fault-journal.js';
import { labMain, runLab, type TestLab } from './docker-harness.js';

interface Case {
  fault: string;
  service?: 'etcd' | 'patroni';
  target: string;
  /** What the node shows of the fault while it is in force (`lab status`); null: nothing stays. */
  seen: RegExp | null;
  /** Proves the node shows nothing of the fault any more, beyond the lab being healthy. */
  gone(lab: TestLab, node: string): Promise<string | null>;
}

const exec = async (lab: TestLab, node: string, argv: string[]): Promise<string> =>
  (await lab.provider.exec(node, argv, { timeoutMs: 15_000 })).stdout.trim();

/** Null when the unit is active again, else its state. */
const unitActive = (unit: string) => async (lab: TestLab, node: string) => {
  const state = await exec(lab, node, ['systemctl', 'is-active', unit]);
  return state === 'active' ? null : `${unit} is ${state}`;
};

const CASES: Case[] = [
  // The reviewer's case: the leader cut off, then its scenario killed.
  {
    fault: 'partition',
    target: 'leader',
    seen: /still in force: node\d: LAB-PARTITION chain present/,
    async gone(lab) {
      const left: string[] = [];
      for (const n of lab.ctx.spec.nodes)
        if ((await exec(lab, n.name, ['iptables', '-S'])).includes('LAB-PARTITION')) left.push(n.name);
      return left.length > 0 ? `LAB-PARTITION rules left on ${left.join(', ')}` : null;
    },
  },
  {
    fault: 'crash-node',
    target: 'replica-1',
    seen: /still in force: node\d is not running/,
    gone: async (lab, node) => ((await lab.provider.running()).includes(node) ? null : `${node} is not running`),
  },
  {
    fault: 'stop-service',
    service: 'etcd',
    target: 'replica-1',
    seen: /still in force: etcd is inactive/,
    gone: unitActive('etcd'),
  },
  {
    fault: 'stop-service',
    service: 'patroni',
    target: 'replica-1',
    seen: /still in force: patroni is inactive/,
    gone: unitActive('patroni'),
  },
  {
    fault: 'freeze',
    service: 'patroni',
    target: 'replica-1',
    seen: /still in force: patroni is stopped \(SIGSTOP\)/,
    async gone(lab, node) {
      const pid = await exec(lab, node, ['systemctl', 'show', '-p', 'MainPID', '--value', 'patroni']);
      const stat = await exec(lab, node, ['ps', '-o', 'stat=', '-p', pid]);
      return stat.startsWith('T') ? `patroni (pid ${pid}) is still stopped` : null;
    },
  },
  { fault: 'kill-service', service: 'etcd', target: 'replica-1', seen: null, gone: unitActive('etcd') },
  // A process of the lab's own (the NFQUEUE delayer) and its chain: both must go.
  {
    fault: 'latency',
    target: 'replica-1',
    seen: /still in force: node\d: chain and delayer present/,
    async gone(lab, node) {
      const left = await exec(lab, node, ['sh', '-c', 'iptables -S | grep -c LAB-LATENCY; pgrep -fc "[l]ab-delay.pid" || true']);
      return left.split('\n').every((n) => n.trim() === '0')
        ? null
        : `latency left on ${node}: ${left.replace(/\n/g, ' ')} (rules, delayer processes)`;
    },
  },
  {
    fault: 'pause-node',
    target: 'replica-1',
    seen: /still in force: node\d is paused/,
    gone: async (lab, node) => ((await lab.provider.paused(node)) ? `${node} is still paused` : null),
  },
];

const label = (c: Case): string => `${c.fault}${c.service ? ` ${c.service}` : ''}`;
const slug = (c: Case): string => label(c).replace(/ /g, '-');

function scenarioYaml(c: Case): string {
  return [
    `name: fj-${slug(c)}`,
    `summary: ${label(c)} on ${c.target}, left in force until the scenario is killed.`,
    'steps:',
    '  - wait: healthy',
    '    within: 180s',
    `  - fault: ${c.fault}`,
    `    target: ${c.target}`,
    ...(c.service ? [`    service: ${c.service}`] : []),
    '  - sleep: 600s',
    '',
  ].join('\n');
}

export async function killedMidFault(t: Test, lab: TestLab): Promise<void> {
  const journal = new FaultJournal(lab.ctx.dir);
  const healCommand = `lab heal -d ${lab.ctx.dir}`;

  for (const c of CASES) {
    await t.test(label(c), async (t) => {
      const file = path.join(lab.work, `${slug(c)}.yaml`);
      await writeFile(file, scenarioYaml(c));
      const run = runLab(lab, ['scenario', file], 600_000);
      t.teardown(() => void run.kill('SIGKILL'));
      let output = '';
      run.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));

      // The fault step done (so the fault is applied, not only journaled), and its entry in the journal.
      const entry = await waitUntil<JournalEntry>(
        async () => {
          const entries = await journal.entries();
          if (entries.length === 1 && /step 2 +ok: /.test(output)) return { ok: true, value: entries[0]! };
          return { ok: false, reason: `journal: ${JSON.stringify(entries)}; output so far:\n${output}` };
        },
        { what: `${label(c)} applied and journaled`, timeoutMs: 240_000, intervalMs: 250 },
      );
      t.match(
        entry,
        { fault: c.fault, service: c.service, run: { scenario: `fj-${slug(c)}`, pid: run.pid } },
        `journaled: ${label(c)} on ${entry.node} by the scenario's own process`,
      );
      run.kill('SIGKILL');
      const killed = await run;
      t.equal(killed.signal, 'SIGKILL', 'the scenario died without healing');
      t.equal((await journal.entries()).length, 1, 'the fault is still journaled');
      if (!c.seen) {
        // A fault systemd undoes by itself (Restart=): once the unit is back, which takes a while for
        // etcd (Type=notify) on a loaded host, status must say the node shows nothing of it.
        await waitUntil(
          async () => {
            const left = await c.gone(lab, entry.node);
            return left === null ? { ok: true, value: null } : { ok: false, reason: left };
          },
          { what: `systemd restarting what ${label(c)} stopped on ${entry.node}`, timeoutMs: 120_000, intervalMs: 500 },
        );
      }

      const status = await labMain(lab, ['status']);
      t.not(status.exitCode, 0, 'lab status exits non-zero');
      t.match(status.stdout, `FAULTS IN FORCE`, 'lab status says a fault is in force');
      t.match(status.stdout, `${label(c)} on ${entry.node} (scenario fj-${slug(c)}`, 'and names it');
      t.match(
        status.stdout,
        c.seen ?? /nothing of it seen on the node any more/,
        c.seen ? 'and what the node shows of it' : 'and that systemd already restarted the unit',
      );
      t.match(status.stdout, `heal them: ${healCommand}`, 'with the command that heals it');

      const refused = await labMain(lab, ['scenario', 'failover']);
      t.equal(refused.exitCode, ExitCode.infrastructure, `a new scenario refuses (exit 2): ${refused.stderr}`);
      t.match(refused.stderr, `fix: run \`${healCommand}\``, 'naming the command to run');
      t.notMatch(refused.stdout, /step 1/, 'before it waits for anything');

      const heal = await labMain(lab, ['heal']);
      t.equal(heal.exitCode, 0, `lab heal exits 0: ${heal.stdout}${heal.stderr}`);
      t.match(heal.stdout, `healed: ${label(c)} on ${entry.node}`);
      t.same(await journal.entries(), [], 'the journal is empty');

      const health = await lab.waitHealthy(180_000);
      t.ok(health.healthy, 'the lab is healthy again');
      t.equal(await c.gone(lab, entry.node), null, `nothing of ${label(c)} is left on ${entry.node}`);
    });
  }
}
