/**
 * The kernel mechanisms the network faults are built on, probed inside a node: a node's kernel is
 * what matters (a container's is the host's, a VM's its own). Each is tried in a throwaway network
 * namespace (`unshare -n`), so probing never touches the node's own traffic.
 */
import type { Provider } from '../providers/provider.js';

/** What a fault can need. `delay` is met by netem, or else by NFQUEUE and the lab's userspace delayer. */
export const NEEDS = ['iptables', 'statistic', 'htb', 'delay'] as const;
export type Mechanism = (typeof NEEDS)[number];

/** The kernel features probed, each with the command that shows it works. */
const PROBES = {
  iptables: 'iptables -N LAB-PROBE',
  statistic: 'iptables -N LAB-PROBE && iptables -A LAB-PROBE -m statistic --mode random --probability 0.5 -j RETURN',
  nfqueue: 'iptables -N LAB-PROBE && iptables -A LAB-PROBE -j NFQUEUE --queue-num 1 --queue-bypass',
  htb: 'tc qdisc add dev lo root handle 1: htb default 1 && tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dst 127.0.0.2/32 flowid 1:1',
  netem: 'tc qdisc add dev lo root netem delay 1ms',
} as const;
export type Feature = keyof typeof PROBES;

/** One script printing `<feature> ok|no` per line. Pure. */
export function probeScript(): string {
  return Object.entries(PROBES)
    .map(([name, cmd]) => `if unshare -n sh -c '${cmd}' >/dev/null 2>&1; then echo '${name} ok'; else echo '${name} no'; fi`)
    .join('\n');
}

export type Features = Readonly<Record<Feature, boolean>>;

/** Parses probeScript()'s output; a feature it does not list counts as missing. Pure. */
export function parseProbe(stdout: string): Features {
  const seen = new Map(stdout.split('\n').map((l) => l.trim().split(' ') as [string, string]));
  return Object.fromEntries(Object.keys(PROBES).map((f) => [f, seen.get(f) === 'ok'])) as Record<Feature, boolean>;
}

/** How a need is met on a node with these features, or null when it is not. Pure. */
export function howMet(need: Mechanism, f: Features): string | null {
  switch (need) {
    case 'iptables':
      return f.iptables ? 'iptables' : null;
    case 'statistic':
      return f.statistic ? 'iptables -m statistic' : null;
    case 'htb':
      return f.htb ? 'tc htb with u32 filters' : null;
    case 'delay':
      return f.netem ? 'tc netem' : f.nfqueue ? 'NFQUEUE and the lab delayer (no sch_netem in this kernel)' : null;
  }
}

/** Probes a node; throws when the node cannot be asked. */
export async function probeFeatures(provider: Provider, node: string): Promise<Features> {
  const r = await provider.exec(node, ['sh', '-c', probeScript()], { timeoutMs: 30_000 });
  return parseProbe(r.stdout);
}
