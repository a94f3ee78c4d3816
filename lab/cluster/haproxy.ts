/**
 * HAProxy's view of the cluster, from its stats page (the CSV at `/;csv` on the stats port, published
 * on 127.0.0.1): which server of each listener its health checks hold up or down right now.
 */
import type { Endpoint } from './patroni.js';

export interface BackendServer {
  /** The listener: `primary` (read-write) or `standbys` (read-only), as haproxy.cfg names them. */
  proxy: string;
  server: string;
  /** HAProxy's status: UP, DOWN, `UP 1/2` (going down), `DOWN 1/2` (coming up), MAINT, no check. */
  status: string;
  /** The last check's result, e.g. L7OK, L7STS (the endpoint said no), L4CON (refused). */
  check: string;
}

/** The servers in HAProxy's stats CSV (its header line starts with `# `). Pure. */
export function parseHaproxyCsv(text: string): BackendServer[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]?.replace(/^#\s*/, '').split(',') ?? [];
  const col = (name: string): number => header.indexOf(name);
  const [pxname, svname, status, check] = [col('pxname'), col('svname'), col('status'), col('check_status')];
  if (pxname < 0 || svname < 0 || status < 0) return [];
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => f[svname] !== 'FRONTEND' && f[svname] !== 'BACKEND' && f[pxname] !== 'stats')
    .map((f) => ({
      proxy: f[pxname] ?? '',
      server: f[svname] ?? '',
      status: f[status] ?? '',
      check: check < 0 ? '' : (f[check] ?? ''),
    }));
}

/** The servers HAProxy routes to: up, and not on their way down. Pure. */
export function serversUp(servers: readonly BackendServer[], proxy: string): string[] {
  return servers.filter((s) => s.proxy === proxy && s.status === 'UP').map((s) => s.server);
}

/** One read of the stats page, bounded. */
export async function haproxyServers(stats: Endpoint, timeoutMs = 1000): Promise<BackendServer[]> {
  const response = await fetch(`http://${stats.host}:${stats.port}/;csv`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HAProxy stats answered ${response.status}`);
  return parseHaproxyCsv(await response.text());
}
