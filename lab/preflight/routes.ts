/** The host's IPv4 routes, read from /proc/net/route, to warn when the lab subnet would shadow one. */
import { readFile } from 'node:fs/promises';
import { addressOfProcHex, prefixOfNetmask, subnetsOverlap } from '../net.js';

export interface HostRoute {
  iface: string;
  cidr: string;
}

/** Parses /proc/net/route; the default route (0.0.0.0/0) is left out because every subnet "overlaps" it. */
export function parseProcRoutes(text: string): HostRoute[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 8 && f[1] !== '00000000')
    .map((f) => ({ iface: f[0]!, cidr: `${addressOfProcHex(f[1]!)}/${prefixOfNetmask(addressOfProcHex(f[7]!))}` }));
}

export async function readHostRoutes(): Promise<HostRoute[]> {
  try {
    return parseProcRoutes(await readFile('/proc/net/route', 'utf8'));
  } catch {
    return []; // Not Linux: nothing to compare against.
  }
}

export function overlappingRoutes(subnet: string, routes: HostRoute[]): HostRoute[] {
  return routes.filter((r) => subnetsOverlap(subnet, r.cidr));
}
