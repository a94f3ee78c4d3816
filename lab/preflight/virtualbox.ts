/**
 * VirtualBox 6.1.28+ only lets host-only networks use 192.168.56.0/21 unless /etc/vbox/networks.conf
 * lists more ranges (lines like `* 192.168.1.0/24`). Without the line, `vagrant up` fails late.
 */
import { readFile } from 'node:fs/promises';
import { isIpv4Cidr, subnetWithin } from '../net.js';
import { VBOX_DEFAULT_RANGE } from '../render/index.js';

export const VBOX_NETWORKS_CONF = '/etc/vbox/networks.conf';

/** Ranges allowed by networks.conf text; null when the file is absent (only the default range). */
export function parseNetworksConf(text: string | null): string[] {
  if (text === null) return [VBOX_DEFAULT_RANGE];
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.startsWith('*'))
    .flatMap((line) => line.slice(1).trim().split(/\s+/))
    .filter(isIpv4Cidr);
}

export function vboxAllows(subnet: string, allowed: string[]): boolean {
  return allowed.some((range) => subnetWithin(subnet, range));
}

export async function readVboxAllowedRanges(): Promise<string[]> {
  const text = await readFile(VBOX_NETWORKS_CONF, 'utf8').catch(() => null);
  return parseNetworksConf(text);
}
