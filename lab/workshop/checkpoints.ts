/**
 * A seat's progress through the class, judged from the same samples `lab status` and the scenarios
 * take (cluster/health.ts labHealth: Patroni, PostgreSQL and etcd of every node) plus the watchdog
 * emulator's armed state on the leader. The judgement is pure; only `probeCheckpoints` touches the lab.
 */
import { LabAccess, ONE_SHOT_PROBE_TIMEOUT_MS } from '../cluster/access.js';
import { labHealth, type LabHealth } from '../cluster/health.js';
import type { Provider } from '../providers/provider.js';
import type { LabSpec } from '../spec/schema.js';
import type { Stage } from '../spec/workshop.js';

export const CHECKPOINTS = ['etcd', 'leader', 'watchdog', 'failover'] as const;
export type Checkpoint = (typeof CHECKPOINTS)[number];

export const CHECKPOINT_TEXT: Record<Checkpoint, string> = {
  etcd: 'etcd cluster formed: every node a member, every member healthy',
  leader: 'Patroni running with a leader',
  watchdog: 'watchdog armed on the leader (Patroni set its timeout)',
  failover: 'a failover survived: a healthy cluster on timeline 2 or later',
};

/** What a seat's starting stage already did for its attendee: no checkpoint of theirs to reach. */
export const GIVEN_BY_STAGE: Record<Stage, readonly Checkpoint[]> = {
  packages: [],
  etcd: ['etcd'],
  full: ['etcd', 'leader', 'watchdog'],
};

/** Where the watchdog emulator keeps `<armed 0|1> <timeout>` (provision/lab-watchdog.sh). */
export const WATCHDOG_STATE_FILE = '/run/lab-watchdog.state';

/** The checkpoints a seat has reached, in order. Pure. */
export function judgeCheckpoints(
  nodes: readonly string[],
  health: Pick<LabHealth, 'samples' | 'etcdMembers' | 'healthy' | 'leader'>,
  watchdogArmed: boolean,
): Checkpoint[] {
  const reached: Checkpoint[] = [];
  const members = health.etcdMembers ?? [];
  if (nodes.every((n) => members.includes(n)) && health.samples.every((s) => s.etcd)) reached.push('etcd');
  const leader = health.samples.find((s) => s.role === 'primary' && s.state === 'running' && s.pg === 'primary');
  if (leader) reached.push('leader');
  if (leader && watchdogArmed) reached.push('watchdog');
  if (health.healthy && (leader?.timeline ?? 0) >= 2) reached.push('failover');
  return reached;
}

/** The first field of the emulator's state file: 1 when armed. Pure. */
export const parseWatchdogArmed = (stateFile: string): boolean => stateFile.trim().split(/\s+/)[0] === '1';

export interface SeatProbe {
  running: number;
  health: LabHealth;
  checkpoints: Checkpoint[];
}

/** One look at a seat: how many nodes run, its health as `lab status` judges it, its checkpoints. */
export async function probeCheckpoints(provider: Provider, spec: LabSpec, dir: string): Promise<SeatProbe> {
  const running = (await provider.running()).length;
  const access = await LabAccess.forLab(provider, dir, ONE_SHOT_PROBE_TIMEOUT_MS);
  try {
    const health = await labHealth(access, spec);
    const leader = health.samples.find((s) => s.role === 'primary' && s.pg === 'primary');
    let armed = false;
    if (leader) {
      const r = await provider.exec(leader.node, ['cat', WATCHDOG_STATE_FILE], { timeoutMs: 5000 }).catch(() => undefined);
      armed = r?.exitCode === 0 && parseWatchdogArmed(r.stdout);
    }
    return {
      running,
      health,
      checkpoints: judgeCheckpoints(
        spec.nodes.map((n) => n.name),
        health,
        armed,
      ),
    };
  } finally {
    await access.close();
  }
}
