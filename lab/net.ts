/**
 * IPv4 addresses and subnets (CIDR text such as `192.168.1.0/24`): the one place their arithmetic
 * is done, on ipaddr.js. A subnet's host addresses are those between its network and broadcast
 * addresses; the first is the gateway Docker and VirtualBox put on the host side.
 */
import ipaddr from 'ipaddr.js';

type Cidr = [ipaddr.IPv4, number];

function parseCidr(cidr: string): Cidr {
  return ipaddr.IPv4.parseCIDR(cidr);
}

function toInt(ip: ipaddr.IPv4): number {
  return ip.octets.reduce((acc, o) => acc * 256 + o, 0);
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The subnet's network and broadcast addresses as numbers (host bits in the text are ignored). */
function bounds(cidr: string): { network: number; broadcast: number } {
  return {
    network: toInt(ipaddr.IPv4.networkAddressFromCIDR(cidr)),
    broadcast: toInt(ipaddr.IPv4.broadcastAddressFromCIDR(cidr)),
  };
}

/** True for IPv4 CIDR text (`10.0.0.0/8`); IPv6 and bare addresses are not. */
export function isIpv4Cidr(text: string): boolean {
  return ipaddr.IPv4.isValidCIDR(text);
}

export function prefixOf(cidr: string): number {
  return parseCidr(cidr)[1];
}

/** How many host addresses the subnet has (without network and broadcast). */
export function hostCount(cidr: string): number {
  const { network, broadcast } = bounds(cidr);
  return Math.max(0, broadcast - network - 1);
}

/** The address of host number `host` in the subnet (e.g. 11 in 192.168.1.0/24 -> 192.168.1.11). */
export function hostAddress(cidr: string, host: number): string {
  return fromInt(bounds(cidr).network + host);
}

/** The address after `ip` (192.168.1.13 -> 192.168.1.14): the next machine after the last node. */
export function addressAfter(ip: string): string {
  return fromInt(toInt(ipaddr.IPv4.parse(ip)) + 1);
}

/** Host 1: the gateway Docker and VirtualBox put on the host side of the lab network. */
export function gatewayAddress(cidr: string): string {
  return hostAddress(cidr, 1);
}

/** True when ip is one of the subnet's host addresses (its network and broadcast addresses are not). */
export function subnetContains(cidr: string, ip: string): boolean {
  const { network, broadcast } = bounds(cidr);
  const n = toInt(ipaddr.IPv4.parse(ip));
  return n > network && n < broadcast;
}

/** True when every address of inner is in outer. */
export function subnetWithin(inner: string, outer: string): boolean {
  const [innerNet, innerPrefix] = parseCidr(inner);
  const [outerNet, outerPrefix] = parseCidr(outer);
  return innerPrefix >= outerPrefix && innerNet.match(outerNet, outerPrefix);
}

/** True when the two subnets share an address: CIDR blocks either nest or are apart. */
export function subnetsOverlap(a: string, b: string): boolean {
  const [netA, prefixA] = parseCidr(a);
  const [netB, prefixB] = parseCidr(b);
  return netA.match(netB, Math.min(prefixA, prefixB));
}

/** 24 -> 255.255.255.0 */
export function netmaskOf(prefix: number): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString();
}

/** 255.255.255.0 -> 24; throws on a mask whose one bits are not contiguous. */
export function prefixOfNetmask(netmask: string): number {
  const prefix = ipaddr.IPv4.parse(netmask).prefixLengthFromSubnetMask();
  if (prefix === null) throw new Error(`${netmask} is not a subnet mask`);
  return prefix;
}

/** An address as /proc/net/route writes it, little-endian hex (`0001A8C0` -> 192.168.1.0). */
export function addressOfProcHex(hex: string): string {
  const bytes = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return ipaddr.fromByteArray(bytes).toString();
}

/** Block n (0-based) of the given prefix inside range, e.g. block 3 of /24 in 10.100.0.0/16 -> 10.100.3.0/24. */
export function nthSubnet(range: string, prefix: number, n: number): string {
  return `${fromInt(bounds(range).network + n * 2 ** (32 - prefix))}/${prefix}`;
}
