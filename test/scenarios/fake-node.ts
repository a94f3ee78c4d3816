/**
 * A Provider whose nodes are a few facts (running, unit states, a frozen service, the partition
 * chain, a boot marker), changed by the exact commands the faults send. Enough to round-trip a fault
 * through its journal record; anything else it is asked is a test failure.
 */
import type { ExecResult, Provider } from '../../lab/providers/provider.js';

export interface FakeNode {
  running: boolean;
  units: Record<string, 'active' | 'inactive'>;
  stopped: Set<string>;
  chain: boolean;
  boot: number;
}

export function fakeNodes(names: string[]): Map<string, FakeNode> {
  return new Map(
    names.map((n) => [
      n,
      { running: true, units: { patroni: 'active', etcd: 'active' }, stopped: new Set(), chain: false, boot: 1 },
    ]),
  );
}

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });

/** `entry` names the machine among `nodes` that is the HAProxy node: running() leaves it out, as the providers do. */
export function fakeProvider(nodes: Map<string, FakeNode>, log: string[] = [], entry?: string): Provider {
  const node = (name: string): FakeNode => {
    const n = nodes.get(name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  };
  return {
    kind: 'docker',
    nodeMemoryMib: 0,
    doctor: async () => [],
    hostFootprint: async () => ({ interfaces: [], runningNodes: [...nodes].filter(([, n]) => n.running).map(([name]) => name) }),
    up: () => Promise.reject(new Error('not in this fake')),
    down: () => Promise.reject(new Error('not in this fake')),
    endpoints: () => Promise.reject(new Error('not in this fake')),
    entryEndpoints: () => Promise.reject(new Error('not in this fake')),
    shell: () => Promise.reject(new Error('not in this fake')),
    running: async () => [...nodes].filter(([name, n]) => n.running && name !== entry).map(([name]) => name),
    runningEntry: async () => (entry && nodes.get(entry)?.running ? entry : null),
    crash: async (name) => void (node(name).running = false),
    start: async (name) => {
      const n = node(name);
      if (n.running) return;
      Object.assign(n, {
        running: true,
        units: { patroni: 'active', etcd: 'active' },
        stopped: new Set(),
        chain: false,
        boot: n.boot + 1,
      });
    },
    bootMarker: async (name) => ({ node: name, marker: `boot-${node(name).boot}` }),
    pause: () => Promise.reject(new Error('not in this fake')),
    resume: () => Promise.reject(new Error('not in this fake')),
    paused: () => Promise.reject(new Error('not in this fake')),
    async exec(name, argv) {
      const n = node(name);
      if (!n.running) throw new Error(`${name} is not running`);
      const cmd = argv.join(' ');
      log.push(`${name}: ${cmd}`);
      const [a0, a1] = argv;
      // Units are named as node-layout.ts names them (patroni.service); the fake keeps them by service.
      const a2 = argv[2]?.replace(/\.service$/, '');
      if (a0 === 'systemctl' && (a1 === 'stop' || a1 === 'start'))
        return ((n.units[a2!] = a1 === 'stop' ? 'inactive' : 'active'), ok());
      if (a0 === 'systemctl' && a1 === 'is-active')
        return { exitCode: n.units[a2!] === 'active' ? 0 : 3, stdout: `${n.units[a2!]}\n`, stderr: '' };
      if (a0 === 'systemctl' && a1 === 'kill') {
        const [signal, named] = argv.slice(-2);
        const unit = named!.replace(/\.service$/, '');
        if (signal === 'SIGKILL') n.units[unit!] = 'inactive';
        else if (signal === 'SIGSTOP') n.stopped.add(unit!);
        else n.stopped.delete(unit!);
        return ok();
      }
      if (a0 === 'iptables' && a1 === '-S')
        return n.chain
          ? ok('-N LAB-PARTITION\n-A LAB-PARTITION -s 10.0.0.12/32 -j DROP\n')
          : { exitCode: 1, stdout: '', stderr: 'No chain' };
      if (a0 === 'sh' && cmd.includes('iptables -N LAB-PARTITION')) return ((n.chain = true), ok());
      if (a0 === 'sh' && cmd.includes('iptables -X LAB-PARTITION')) return ((n.chain = false), ok('2'));
      const ps = /systemctl show -p MainPID --value (\w+)(?:\.service)?/.exec(cmd);
      if (a0 === 'sh' && ps) return ok(n.stopped.has(ps[1]!) ? 'Tsl\n' : 'Ssl\n');
      throw new Error(`the fake node does not know \`${cmd}\``);
    },
  };
}
