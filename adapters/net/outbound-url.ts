/**
 * Outbound URL vetting (the SSRF guard) for every request the gateway and its workers send to a
 * URL someone else chose: push-notification webhooks and remote A2A agents. It says which
 * addresses such a URL may reach; callers connect to the addresses this check returned (see
 * push/webhook-client.ts, a2a-remote/guarded-fetch.ts), so DNS rebinding cannot slip in.
 */
import { lookup } from 'node:dns/promises';
import { canonicalAddress, classifyAddress, type VettedAddress } from './ip-ranges';

export type { VettedAddress } from './ip-ranges';

export interface SsrfPolicy {
  /**
   * Exact hosts (lowercase; IPv6 without brackets; any port) that may be reached over plain
   * http: local and test mode only. An IP literal listed here is also a *trusted address*: it
   * passes the range checks wherever it appears (URL host or DNS answer), e.g. `127.0.0.1` for
   * the demo receiver or a TCK host on the LAN. Unspecified, multicast and broadcast addresses
   * are refused even then.
   */
  allowHttpHosts?: readonly string[];
  /** Permit loopback destinations (127/8, ::1, `localhost` names) for any host: local mode only. */
  allowLoopback?: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a hostname to all its addresses (A and AAAA). Injectable so tests never use DNS. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface VettedOutboundUrl {
  url: URL;
  /** the URL's host without IPv6 brackets: the Host header and the TLS server name */
  hostname: string;
  isIpLiteral: boolean;
  /** every address the host resolved to; all passed the policy. Connect only to these. */
  addresses: VettedAddress[];
}

/** The URL may not be used as a webhook (permanent). `reason` is safe to show the registrant. */
export class WebhookUrlRefusedError extends Error {
  override readonly name = 'WebhookUrlRefusedError';
  static readonly code = 'ERR_WEBHOOK_URL_REFUSED';
  readonly code = WebhookUrlRefusedError.code;
  constructor(
    readonly reason: string,
    /** the refused resolved address, for logs only: never echo a DNS answer to the caller */
    readonly address?: string,
  ) {
    super(`Webhook URL refused: ${reason}`);
  }
}

/** The host could not be resolved (at delivery time this is retryable). */
export class WebhookHostUnresolvableError extends Error {
  override readonly name = 'WebhookHostUnresolvableError';
  static readonly code = 'ERR_WEBHOOK_HOST_UNRESOLVABLE';
  readonly code = WebhookHostUnresolvableError.code;
  constructor(
    readonly hostname: string,
    options?: { cause?: unknown },
  ) {
    super(`Webhook host ${hostname} could not be resolved`, options);
  }
}

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, order: 'verbatim' })).map((a) => ({
    address: a.address,
    family: a.family,
  }));

const MAX_URL_LENGTH = 2048;

/**
 * Returns the reason an address must not be reached by a webhook, or undefined if it is a
 * public unicast address. Accepts canonical IPv4 dotted quads and IPv6 (brackets optional).
 * Anything else (octal or short IPv4 forms, zone ids, names) is refused: this fails closed.
 */
export function isForbiddenAddress(ip: string): string | undefined {
  return classifyAddress(ip)?.reason;
}

/**
 * Vets a webhook URL: https only (unless the host is in `allowHttpHosts`), no userinfo, no
 * non-canonical IPv4, no `localhost` names, and every address the host resolves to must pass.
 * Throws WebhookUrlRefusedError or WebhookHostUnresolvableError.
 */
export async function checkOutboundUrl(
  raw: string,
  policy: SsrfPolicy,
  resolver: Resolver = systemResolver,
): Promise<VettedOutboundUrl> {
  if (raw.length > MAX_URL_LENGTH)
    throw new WebhookUrlRefusedError(`longer than ${MAX_URL_LENGTH} characters`);
  // WHATWG URL silently strips tabs, newlines and edge spaces and reads `\` as `/`: refuse them
  // so the URL we vet is the URL that was written.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u0020\u007f\\]/.test(raw))
    throw new WebhookUrlRefusedError('contains whitespace or control characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefusedError('not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebhookUrlRefusedError(`scheme ${url.protocol} is not allowed (https only)`);
  }
  if (url.username !== '' || url.password !== '') throw new WebhookUrlRefusedError('userinfo is not allowed');
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const allowlisted = (policy.allowHttpHosts ?? []).some((h) => normalizeHost(h) === hostname);
  if (url.protocol === 'http:' && !allowlisted) {
    throw new WebhookUrlRefusedError('plain http is not allowed (https only)');
  }
  const trusted = trustedAddresses(policy);
  const literal = canonicalAddress(hostname);
  if (literal) {
    const rawHost = rawHostOf(raw);
    if (literal.family === 4 && rawHost !== hostname) {
      throw new WebhookUrlRefusedError(
        `non-canonical IPv4 address ${JSON.stringify(rawHost)} (write ${hostname})`,
      );
    }
    const refusal = refusalFor(literal.address, policy, trusted);
    if (refusal) throw new WebhookUrlRefusedError(`${hostname} is ${refusal}`);
    return { url, hostname, isIpLiteral: true, addresses: [literal] };
  }
  if (isLocalhostName(hostname) && !policy.allowLoopback && !allowlisted) {
    throw new WebhookUrlRefusedError(`${hostname} is a loopback name`);
  }
  let answers: readonly ResolvedAddress[];
  try {
    answers = await resolver(hostname);
  } catch (cause) {
    throw new WebhookHostUnresolvableError(hostname, { cause });
  }
  if (answers.length === 0) throw new WebhookHostUnresolvableError(hostname);
  const addresses: VettedAddress[] = [];
  for (const answer of answers) {
    const vetted = canonicalAddress(answer.address);
    const refusal = vetted ? refusalFor(vetted.address, policy, trusted) : 'not an IP address';
    // Name the range, not the answer: echoing internal DNS answers would make this an oracle.
    if (refusal || !vetted)
      throw new WebhookUrlRefusedError(`${hostname} resolves to ${refusal}`, answer.address);
    if (!addresses.some((a) => a.address === vetted.address)) addresses.push(vetted);
  }
  return { url, hostname, isIpLiteral: false, addresses };
}

function refusalFor(address: string, policy: SsrfPolicy, trusted: ReadonlySet<string>): string | undefined {
  const found = classifyAddress(address);
  if (!found) return undefined;
  if (found.kind === 'never') return found.reason;
  if (trusted.has(address)) return undefined;
  if (found.kind === 'loopback' && policy.allowLoopback) return undefined;
  return found.reason;
}

/** The allowlisted hosts that are IP addresses, worked out once per list (it is checked per delivery). */
const trustedByHosts = new WeakMap<readonly string[], ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

function trustedAddresses(policy: SsrfPolicy): ReadonlySet<string> {
  const hosts = policy.allowHttpHosts;
  if (hosts === undefined) return NONE;
  let out = trustedByHosts.get(hosts);
  if (!out) {
    out = new Set(hosts.flatMap((host) => canonicalAddress(normalizeHost(host))?.address ?? []));
    trustedByHosts.set(hosts, out);
  }
  return out;
}

const normalizeHost = (host: string): string => {
  const lower = host.trim().toLowerCase();
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
};

const isLocalhostName = (hostname: string): boolean => {
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return name === 'localhost' || name.endsWith('.localhost');
};

/** The host as written in the URL string (before WHATWG normalization), lowercased. */
function rawHostOf(raw: string): string {
  const afterScheme = raw.slice(raw.indexOf(':') + 1).replace(/^\/*/, '');
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const colon = hostPort.lastIndexOf(':');
  return (colon === -1 ? hostPort : hostPort.slice(0, colon)).toLowerCase();
}
