/**
 * VirtualBox 6.1.28+ only lets host-only networks use 192.168.56.0/21 unless /etc/vbox/networks.conf
 * lists more ranges (lines like `* 192.168.1.0/24`). Without the line, `vagrant up` fails late.
 */
import { readFile } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';

export const VBOX_DEFAULT_RANGE = '192.168.56.0/21';
export const VBOX_NETWORKS_CONF = '/etc/vbox/networks.conf';

/** Ranges allowed by networks.conf text; null when the file is absent (only the default range). */
export function parseNetworksConf(text: string | null): string[] {
  if (text === null) return [VBOX_DEFAULT_RANGE];
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.startsWith('*'))
    .flatMap((line) => line.slice(1).trim().split(/\s+/))
    .filter((cidr) => ipaddr.isValidCIDR(cidr));
}

function within(inner: string, outer: string): boolean {
  const [innerNet, innerPrefix] = ipaddr.IPv4.parseCIDR(inner);
  const [outerNet, outerPrefix] = ipaddr.parseCIDR(outer);
  return outerNet.kind() === 'ipv4' && innerPrefix >= outerPrefix && innerNet.match(outerNet, outerPrefix);
}

export function vboxAllows(subnet: string, allowed: string[]): boolean {
  return allowed.some((range) => within(subnet, range));
}

export async function readVboxAllowedRanges(): Promise<string[]> {
  const text = await readFile(VBOX_NETWORKS_CONF, 'utf8').catch(() => null);
  return parseNetworksConf(text);
}
