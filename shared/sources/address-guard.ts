// The address guard: private, link-local, metadata and other non-public addresses are never fetched,
// checked for IP literals before connecting and for names at connect time, in every IPv6 disguise.
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { dns } from './lazy-builtins.ts';

/** IPv4 ranges never fetched: not the public internet, or the cloud's instance metadata. */
const REFUSED_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['169.254.0.0', 16, 'link-local or instance metadata'], // 169.254.169.254: EC2/GCP/Azure metadata
  ['100.100.100.200', 32, 'link-local or instance metadata'], // Alibaba Cloud metadata
  // Listed after the metadata address inside it, so that address keeps its more telling reason.
  ['100.64.0.0', 10, 'shared address space'], // carrier-grade NAT (RFC 6598): a provider's inside network
  ['192.0.0.0', 24, 'IETF protocol assignments'], // RFC 6890: NAT64 discovery, DS-Lite, not a public host
  ['198.18.0.0', 15, 'benchmarking'], // RFC 2544 test networks, routed only inside a lab
  ['224.0.0.0', 4, 'multicast'], // a group, not a server: no HTTP source lives there
  ['240.0.0.0', 4, 'reserved'], // class E (RFC 1112), with 255.255.255.255, the limited broadcast
];
const REFUSED_V6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['fc00::', 7, 'private'], // unique local; includes fd00:ec2::254, EC2 metadata over IPv6
  ['fe80::', 10, 'link-local or instance metadata'],
  ['fec0::', 10, 'private'], // deprecated site-local
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64
  ['ff00::', 8, 'multicast'],
];
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** The 16 bytes of an IPv6 address (a trailing dotted quad allowed), or undefined. */
function ipv6Bytes(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...Array(8 - left.length - right.length).fill(0), ...right] as number[];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, SIIT, NAT64, 6to4, Teredo), if any. */
function embeddedV4(bytes: number[]): string | undefined {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join('.');
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated; `::a9fe:a9fe` is 169.254.169.254)
  if (zero(0, 10) && ((bytes[10] === 0xff && bytes[11] === 0xff) || zero(10, 12))) return v4(12);
  // ::ffff:0:a.b.c.d, the IPv4-translated form of SIIT (RFC 2765, ::ffff:0:0:0/96)
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return v4(12);
  // 64:ff9b::/96, the well-known NAT64 prefix
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12))
    return v4(12);
  // 2002::/16, 6to4
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  // 2001::/32, Teredo (RFC 4380): the client's IPv4 address is the last 32 bits, each bit inverted
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && zero(2, 4))
    return bytes
      .slice(12, 16)
      .map((b) => b ^ 0xff)
      .join('.');
  return undefined;
}

// The family comes from the table each range is in, not from net.isIP: its first call compiles Node's
// IPv6 pattern (3 ms), which belongs to the first address check of an http source, not to every cold
// start (file and manual sources check none).
const REFUSED = new Map<string, BlockList>();
for (const [family, ranges] of [
  ['ipv4', REFUSED_V4],
  ['ipv6', REFUSED_V6],
] as const) {
  for (const [address, prefix, reason] of ranges) {
    const list = REFUSED.get(reason) ?? new BlockList();
    list.addSubnet(address, prefix, family);
    REFUSED.set(reason, list);
  }
}

/**
 * Why an address may not be fetched, or undefined: unspecified, private, link-local and metadata
 * addresses always, loopback unless allowed, in IPv4 or any IPv6 form that carries an IPv4 address.
 */
export function refusedAddress(address: string, allowLoopback = false): string | undefined {
  const bytes = ipv6Bytes(address);
  const v4 = bytes && !LOOPBACK.check(address, 'ipv6') ? embeddedV4(bytes) : undefined;
  const ip = v4 ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : isIP(ip) === 4 ? 'ipv4' : undefined;
  if (!family) return `refused address ${address} (not an IP address)`;
  if (LOOPBACK.check(ip, family)) return allowLoopback ? undefined : `refused address ${address} (loopback)`;
  for (const [reason, list] of REFUSED) {
    if (list.check(ip, family)) return `refused address ${address} (${reason})`;
  }
  return undefined;
}

/** Why a URL's host may not be fetched when it is an IP literal, which is never looked up; or undefined. */
export function refusedLiteral(hostname: string, allowLoopback: boolean): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? refusedAddress(host, allowLoopback) : undefined;
}

/** DNS lookup that refuses blocked addresses at connect time, so a rebinding name cannot slip past. */
export function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns().lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses
        .map((a) => refusedAddress(a.address, allowLoopback))
        .find((r) => r !== undefined);
      if (refused) return callback(Object.assign(new Error(refused), { code: 'EREFUSED_ADDRESS' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
