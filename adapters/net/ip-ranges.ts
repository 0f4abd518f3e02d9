/**
 * IP address parsing and the special-purpose ranges a webhook must not reach (IANA IPv4 and
 * IPv6 special-purpose registries). Strict parsing: only canonical dotted quads for IPv4, so
 * `0177.0.0.1`, `0x7f.1`, `127.1` and `2130706433` are not addresses here (they fail closed).
 */
import { isIPv6 } from 'node:net';

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * - `loopback`: allowed with `allowLoopback` (local mode) or when the address is trusted;
 * - `private`: private networks, CGNAT, ULA: allowed only when the address is trusted;
 * - `special`: link-local, documentation, reserved, transition mechanisms: only when trusted;
 * - `never`: unspecified, multicast, broadcast, not an address: never a unicast peer.
 */
export type AddressKind = 'loopback' | 'private' | 'special' | 'never';

export interface AddressClass {
  kind: AddressKind;
  reason: string;
}

type V4Range = readonly [base: string, prefix: number, kind: AddressKind, reason: string];

// Most specific first: the first match wins.
const V4_RANGES: readonly V4Range[] = [
  ['0.0.0.0', 8, 'never', 'an unspecified address (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private', 'a private address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'private', 'a carrier-grade NAT address (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback', 'a loopback address (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'special', 'a link-local address (169.254.0.0/16, incl. cloud metadata)'],
  ['172.16.0.0', 12, 'private', 'a private address (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'special', 'an IETF protocol assignment address (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'special', 'a documentation address (TEST-NET-1, 192.0.2.0/24)'],
  ['192.88.99.0', 24, 'special', 'a deprecated 6to4 relay address (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'private', 'a private address (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'special', 'a benchmarking address (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'special', 'a documentation address (TEST-NET-2, 198.51.100.0/24)'],
  ['203.0.113.0', 24, 'special', 'a documentation address (TEST-NET-3, 203.0.113.0/24)'],
  ['224.0.0.0', 4, 'never', 'a multicast address (224.0.0.0/4)'],
  ['255.255.255.255', 32, 'never', 'the broadcast address'],
  ['240.0.0.0', 4, 'special', 'a reserved address (240.0.0.0/4)'],
];

type V6Range = readonly [base: string, prefix: number, kind: AddressKind, reason: string];

// Checked after the exact/embedded-IPv4 cases below; first match wins.
const V6_RANGES: readonly V6Range[] = [
  ['64:ff9b:1::', 48, 'special', 'a local-use NAT64 address (64:ff9b:1::/48)'],
  ['100::', 64, 'special', 'a discard-only address (100::/64)'],
  ['2001::', 32, 'special', 'a Teredo address (2001::/32)'],
  ['2001:db8::', 32, 'special', 'a documentation address (2001:db8::/32)'],
  ['2001::', 23, 'special', 'an IETF protocol assignment address (2001::/23)'],
  ['2002::', 16, 'special', 'a 6to4 address (2002::/16)'],
  ['3fff::', 20, 'special', 'a documentation address (3fff::/20)'],
  ['fc00::', 7, 'private', 'a unique local address (fc00::/7)'],
  ['fe80::', 10, 'special', 'a link-local address (fe80::/10)'],
  ['fec0::', 10, 'private', 'a deprecated site-local address (fec0::/10)'],
  ['ff00::', 8, 'never', 'a multicast address (ff00::/8)'],
];

/** Parses a canonical IPv4 dotted quad or an IPv6 address (brackets allowed, zone ids not). */
export function canonicalAddress(text: string): VettedAddress | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { address: formatV4(v4), family: 4 };
  const v6 = parseV6(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
  return v6 ? { address: formatV6(v6), family: 6 } : undefined;
}

/** Why the address is not a public unicast address, or undefined if it is. */
export function classifyAddress(text: string): AddressClass | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return classifyV4(v4);
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (bare.includes('%')) return { kind: 'never', reason: 'an IPv6 address with a zone id' };
  const v6 = parseV6(bare);
  if (!v6) return { kind: 'never', reason: 'not a canonical IP address' };
  return classifyV6(v6);
}

const V4_TABLE = V4_RANGES.map(([base, prefix, kind, reason]) => ({
  base: parseV4(base) ?? 0,
  prefix,
  kind,
  reason,
}));
const V6_TABLE = V6_RANGES.map(([base, prefix, kind, reason]) => ({
  base: parseV6(base) ?? new Uint8Array(16),
  prefix,
  kind,
  reason,
}));
const NAT64_PREFIX = parseV6('64:ff9b::') ?? new Uint8Array(16);

function classifyV4(n: number): AddressClass | undefined {
  const found = V4_TABLE.find((r) => inV4(n, r.base, r.prefix));
  return found && { kind: found.kind, reason: found.reason };
}

function classifyV6(b: Uint8Array): AddressClass | undefined {
  const zeros = (from: number, to: number): boolean => b.subarray(from, to).every((x) => x === 0);
  const embedded = (): number =>
    ((b[12] ?? 0) * 2 ** 24 + ((b[13] ?? 0) << 16) + ((b[14] ?? 0) << 8) + (b[15] ?? 0)) >>> 0;
  if (zeros(0, 16)) return { kind: 'never', reason: 'an unspecified address (::)' };
  if (zeros(0, 15) && b[15] === 1) return { kind: 'loopback', reason: 'a loopback address (::1)' };
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) {
    const inner = classifyV4(embedded());
    return inner && { kind: inner.kind, reason: `an IPv4-mapped IPv6 address of ${inner.reason}` };
  }
  if (zeros(0, 12)) return { kind: 'special', reason: 'a deprecated IPv4-compatible IPv6 address (::/96)' };
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) {
    return { kind: 'special', reason: 'an IPv4-translated address (::ffff:0:0:0/96)' };
  }
  if (inV6(b, NAT64_PREFIX, 96)) {
    const inner = classifyV4(embedded());
    return inner && { kind: 'special', reason: `a NAT64 address embedding ${inner.reason}` };
  }
  const found = V6_TABLE.find((r) => inV6(b, r.base, r.prefix));
  if (found) return { kind: found.kind, reason: found.reason };
  // Only 2000::/3 is allocated as global unicast; everything else is reserved.
  if (((b[0] ?? 0) & 0xe0) !== 0x20) return { kind: 'special', reason: 'not a global unicast address' };
  return undefined;
}

function inV4(n: number, base: number, prefix: number): boolean {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (n & mask) >>> 0 === (base & mask) >>> 0;
}

function inV6(b: Uint8Array, base: Uint8Array, prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const bits = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((b[bit / 8] ?? 0) & mask) !== ((base[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** Strict dotted quad: four decimal octets 0-255 without leading zeros. */
function parseV4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

const formatV4 = (n: number): string => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');

function parseV6(text: string): Uint8Array | undefined {
  if (text.includes('%') || !isIPv6(text)) return undefined;
  let s = text.toLowerCase();
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (h: string | undefined): string[] => (h ? h.split(':') : []);
  const left = groupsOf(halves[0]);
  const right = groupsOf(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...right];
  const out = new Uint8Array(16);
  for (const [i, g] of groups.entries()) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
    const v = Number.parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  return out;
}

/** RFC 5952 text form (hex groups only; embedded IPv4 is written in hex, as WHATWG URL does). */
function formatV6(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((b[i * 2] ?? 0) << 8) | (b[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
