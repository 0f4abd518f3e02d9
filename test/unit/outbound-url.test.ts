import { afterEach, describe, expect, it } from 'vitest';
import {
  checkOutboundUrl,
  isForbiddenAddress,
  type ResolvedAddress,
  type Resolver,
  type SsrfPolicy,
  WebhookHostUnresolvableError,
  WebhookUrlRefusedError,
} from '../../adapters/net/outbound-url';
import { postWebhook, WebhookDeliveryError } from '../../adapters/push/webhook-client';
import { createWebhookUrlPolicy } from '../../adapters/push/webhook-url-policy';
import { InvalidParamsError } from '../../core/errors';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

const answer = (address: string): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 });

/** A fake DNS: names map to answers; unknown names fail like ENOTFOUND. Records every query. */
function fakeResolver(table: Record<string, string[]>): Resolver & { queries: string[] } {
  const queries: string[] = [];
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    queries.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map(answer);
  };
  return Object.assign(resolve, { queries });
}

const dns = fakeResolver({
  'public.example': [PUBLIC_V4, PUBLIC_V6],
  'internal.example': ['10.0.0.5'],
  'mixed.example': [PUBLIC_V4, '10.0.0.5'],
  'mixed6.example': [PUBLIC_V6, 'fd00::5'],
  'metadata.example': ['169.254.169.254'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'nat64.example': ['64:ff9b::a9fe:a9fe'],
  'cgnat.example': ['100.64.1.1'],
  'empty.example': [],
  localhost: ['127.0.0.1', '::1'],
  'evil-localhost.example': ['127.0.0.1'],
});

const production: SsrfPolicy = {};

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['192.0.0.8', 'IETF protocol assignment'],
    ['192.0.2.1', 'TEST-NET-1'],
    ['198.51.100.1', 'TEST-NET-2'],
    ['203.0.113.9', 'TEST-NET-3'],
    ['192.88.99.1', '6to4 relay'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'site-local'],
    ['100::1', 'discard-only'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:2::1', 'IETF protocol assignment'],
    ['2002:7f00:1::1', '6to4'],
    ['2002:5db8:d70e::1', '6to4'],
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6 address of a loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped IPv6 address of a loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped IPv6 address of a private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped IPv6 address of a link-local'],
    ['::ffff:100.64.0.1', 'IPv4-mapped IPv6 address of a carrier-grade NAT'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::7f00:1', 'IPv4-compatible'],
    ['::ffff:0:7f00:1', 'IPv4-translated'],
    ['64:ff9b::7f00:1', 'NAT64 address embedding a loopback'],
    ['64:ff9b::10.0.0.1', 'NAT64 address embedding a private'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['4000::1', 'not a global unicast'],
    ['fe80::1%eth0', 'zone id'],
    ['0177.0.0.1', 'not a canonical IP'],
    ['127.1', 'not a canonical IP'],
    ['2130706433', 'not a canonical IP'],
    ['0x7f.0.0.1', 'not a canonical IP'],
    ['01.2.3.4', 'not a canonical IP'],
    ['example.com', 'not a canonical IP'],
  ])('refuses %s (%s)', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toContain(reason);
  });

  it.each([
    PUBLIC_V4,
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    PUBLIC_V6,
    '2001:4860:4860::8888',
    '::ffff:93.184.215.14',
    '64:ff9b::5db8:d70e',
  ])('allows the public address %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBeUndefined();
  });
});

async function refusal(
  url: string,
  policy: SsrfPolicy = production,
  resolver: Resolver = dns,
): Promise<string> {
  const err = await checkOutboundUrl(url, policy, resolver).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookUrlRefusedError);
  return (err as WebhookUrlRefusedError).reason;
}

describe('checkOutboundUrl refuses', () => {
  it.each([
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://2130706433/hook', 'non-canonical IPv4'],
    ['https://0177.0.0.1/hook', 'non-canonical IPv4'],
    ['https://0x7f.1/hook', 'non-canonical IPv4'],
    ['https://0x7f000001/hook', 'non-canonical IPv4'],
    ['https://127.1/hook', 'non-canonical IPv4'],
    ['https://127.0.0.1./hook', 'non-canonical IPv4'],
    ['https://%31%32%37.0.0.1/hook', 'non-canonical IPv4'],
    ['https://1572395790/hook', 'non-canonical IPv4'],
    ['https://10.0.0.1:8443/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://100.64.0.1/hook', 'carrier-grade NAT'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::]/hook', 'unspecified'],
    ['https://[::ffff:127.0.0.1]/hook', 'IPv4-mapped'],
    ['https://[::ffff:7f00:1]/hook', 'IPv4-mapped'],
    ['https://[::ffff:169.254.169.254]/hook', 'IPv4-mapped IPv6 address of a link-local'],
    ['https://[fe80::1]/hook', 'link-local'],
    ['https://[fd00::1]/hook', 'unique local'],
    ['https://[ff02::1]/hook', 'multicast'],
    ['https://[64:ff9b::7f00:1]/hook', 'NAT64'],
    ['https://localhost/hook', 'loopback name'],
    ['https://localhost./hook', 'loopback name'],
    ['https://LOCALHOST/hook', 'loopback name'],
    ['https://api.localhost/hook', 'loopback name'],
    ['https://internal.example/hook', 'resolves to a private address'],
    ['https://mixed.example/hook', 'resolves to a private address'],
    ['https://mixed6.example/hook', 'resolves to a unique local address'],
    ['https://metadata.example/hook', 'resolves to a link-local address'],
    ['https://mapped.example/hook', 'resolves to an IPv4-mapped IPv6 address of a loopback'],
    ['https://nat64.example/hook', 'resolves to a NAT64 address embedding a link-local'],
    ['https://cgnat.example/hook', 'resolves to a carrier-grade NAT'],
    ['http://public.example/hook', 'plain http'],
    [`http://${PUBLIC_V4}/hook`, 'plain http'],
    ['https://user:secret@public.example/hook', 'userinfo'],
    ['https://user@public.example/hook', 'userinfo'],
    ['ftp://public.example/hook', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['https://public.example\\@127.0.0.1/', 'control characters'],
    ['https://public.example/ho\nok', 'control characters'],
    [' https://public.example/hook', 'control characters'],
    ['not a url', 'control characters'],
    ['//public.example/hook', 'not a valid absolute URL'],
    [`https://public.example/${'a'.repeat(2100)}`, 'longer than'],
  ])('%s (%s)', async (url, reason) => {
    expect(await refusal(url)).toContain(reason);
  });

  it('never echoes the internal address a name resolves to', async () => {
    const err = await checkOutboundUrl('https://internal.example/hook', production, dns).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WebhookUrlRefusedError);
    expect((err as WebhookUrlRefusedError).message).not.toContain('10.0.0.5');
    expect((err as WebhookUrlRefusedError).address).toBe('10.0.0.5');
  });

  it('refuses localhost names before asking DNS', async () => {
    const resolver = fakeResolver({ localhost: ['127.0.0.1'] });
    await refusal('https://localhost./hook', production, resolver);
    expect(resolver.queries).toEqual([]);
  });

  it.each(['https://nx.example/hook', 'https://empty.example/hook'])(
    'reports %s as unresolvable',
    async (url) => {
      await expect(checkOutboundUrl(url, production, dns)).rejects.toBeInstanceOf(
        WebhookHostUnresolvableError,
      );
    },
  );
});

describe('checkOutboundUrl allows', () => {
  it('a public IPv4 literal (vetted, never connected to here)', async () => {
    const vetted = await checkOutboundUrl(`https://${PUBLIC_V4}/hook`, production, dns);
    expect(vetted).toMatchObject({ hostname: PUBLIC_V4, isIpLiteral: true, addresses: [answer(PUBLIC_V4)] });
    expect(dns.queries).not.toContain(PUBLIC_V4);
  });

  it('a public IPv6 literal', async () => {
    const vetted = await checkOutboundUrl(`https://[${PUBLIC_V6}]:8443/hook`, production, dns);
    expect(vetted.addresses).toEqual([answer(PUBLIC_V6)]);
    expect(vetted.hostname).toBe(PUBLIC_V6);
  });

  it('a name whose every answer is public, returning all of them', async () => {
    const vetted = await checkOutboundUrl('https://public.example/hook?x=1', production, dns);
    expect(vetted.addresses).toEqual([answer(PUBLIC_V4), answer(PUBLIC_V6)]);
    expect(vetted.isIpLiteral).toBe(false);
  });

  it('http and loopback for an allowlisted IP literal (local mode)', async () => {
    const local: SsrfPolicy = { allowHttpHosts: ['127.0.0.1'] };
    const vetted = await checkOutboundUrl('http://127.0.0.1:9090/webhook', local, dns);
    expect(vetted.addresses).toEqual([answer('127.0.0.1')]);
    expect(await refusal('http://127.0.0.2:9090/webhook', local)).toContain('plain http');
    expect(await refusal('https://127.0.0.2:9090/webhook', local)).toContain('loopback');
    expect(await refusal('https://10.0.0.1/webhook', local)).toContain('private');
  });

  it('a LAN test host when its exact address is allowlisted (TCK runs)', async () => {
    const tck: SsrfPolicy = { allowHttpHosts: ['192.168.1.50'] };
    await expect(checkOutboundUrl('http://192.168.1.50:8080/webhook', tck, dns)).resolves.toBeDefined();
    expect(await refusal('http://192.168.1.51:8080/webhook', tck)).toContain('plain http');
  });

  it('loopback names and addresses with allowLoopback, but nothing else internal', async () => {
    const local: SsrfPolicy = { allowLoopback: true, allowHttpHosts: ['localhost'] };
    const vetted = await checkOutboundUrl('http://localhost:9090/webhook', local, dns);
    expect(vetted.addresses).toEqual([answer('127.0.0.1'), answer('::1')]);
    await expect(checkOutboundUrl('https://127.0.0.5/hook', local, dns)).resolves.toBeDefined();
    expect(await refusal('https://10.0.0.1/hook', local)).toContain('private');
    expect(await refusal('https://169.254.169.254/hook', local)).toContain('link-local');
    const lying = fakeResolver({ localhost: ['10.0.0.1'] });
    expect(await refusal('http://localhost/hook', local, lying)).toContain('private');
  });

  it('never allows unspecified, multicast or broadcast, even allowlisted', async () => {
    const odd: SsrfPolicy = { allowHttpHosts: ['0.0.0.0', '255.255.255.255', '::'] };
    expect(await refusal('http://0.0.0.0/hook', odd)).toContain('unspecified');
    expect(await refusal('http://255.255.255.255/hook', odd)).toContain('broadcast');
    expect(await refusal('http://[::]/hook', odd)).toContain('unspecified');
  });
});

describe('createWebhookUrlPolicy', () => {
  const port = createWebhookUrlPolicy(production, dns);

  it('accepts a public https URL', async () => {
    await expect(port.assertAllowed('https://public.example/hook', 'params.url')).resolves.toBeUndefined();
  });

  it('throws InvalidParamsError with a field violation for a refused URL', async () => {
    const err = await port.assertAllowed('https://169.254.169.254/', 'params.url').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    const invalid = err as InvalidParamsError;
    expect(invalid.reason).toBe('INVALID_PARAMS');
    expect(invalid.violations).toEqual([
      { field: 'params.url', description: expect.stringContaining('link-local') },
    ]);
  });

  it('accepts a host that does not resolve now: no DNS answer is no evidence of an internal address', async () => {
    await expect(port.assertAllowed('https://nx.example/hook', 'configuration.url')).resolves.toBeUndefined();
  });

  it('still refuses at delivery a name accepted while unresolvable that now resolves inside', async () => {
    const later: Record<string, string[]> = {};
    const changing = fakeResolver(later);
    const registering = createWebhookUrlPolicy(production, changing);
    await expect(registering.assertAllowed('https://late.example/hook', 'url')).resolves.toBeUndefined();
    later['late.example'] = ['10.0.0.7'];
    await expect(checkOutboundUrl('https://late.example/hook', production, changing)).rejects.toBeInstanceOf(
      WebhookUrlRefusedError,
    );
    const delivery = await postWebhook({
      url: 'https://late.example/hook',
      headers: {},
      body: Buffer.from('{}'),
      policy: production,
      resolver: changing,
    }).catch((e: unknown) => e);
    expect(delivery).toMatchObject({ reason: 'URL_REFUSED', kind: 'permanent' });
  });

  it('still refuses a literal internal address and a name that resolves inside', async () => {
    await expect(port.assertAllowed('https://10.0.0.5/hook', 'url')).rejects.toBeInstanceOf(
      InvalidParamsError,
    );
    await expect(port.assertAllowed('https://internal.example/hook', 'url')).rejects.toBeInstanceOf(
      InvalidParamsError,
    );
  });
});

describe('DNS rebinding', () => {
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  // Both the vetted and the rebound address are loopback (127.0.0.1 vs 127.0.0.2), so even a
  // broken client would send nothing off the machine. The policy trusts only 127.0.0.1.
  it('connects only to the address that was vetted, and re-vets at the next delivery', async () => {
    const vetted = await startReceiver();
    receivers.push(vetted);
    const attacker = await startReceiver(undefined, { host: '127.0.0.2', port: vetted.port });
    receivers.push(attacker);
    let queries = 0;
    const rebinding: Resolver = async () => {
      queries += 1;
      return queries === 1 ? [answer('127.0.0.1')] : [answer('127.0.0.2')];
    };
    const policy: SsrfPolicy = { allowHttpHosts: ['hook.test', '127.0.0.1'] };
    const url = `http://hook.test:${vetted.port}/webhook`;

    const first = await postWebhook({
      url,
      headers: {},
      body: Buffer.from('{}'),
      policy,
      resolver: rebinding,
    });
    expect(first.status).toBe(200);
    expect(queries).toBe(1); // the connect did not resolve again
    expect(vetted.requests).toHaveLength(1);
    expect(vetted.requests[0]?.localAddress).toBe('127.0.0.1');
    expect(vetted.requests[0]?.headers.host).toBe(`hook.test:${vetted.port}`);
    expect(attacker.connections).toBe(0);

    // The name now points elsewhere: the delivery-time check refuses before connecting.
    const second = await postWebhook({
      url,
      headers: {},
      body: Buffer.from('{}'),
      policy,
      resolver: rebinding,
    }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(WebhookDeliveryError);
    expect(second).toMatchObject({ reason: 'URL_REFUSED', kind: 'permanent' });
    expect(attacker.connections).toBe(0);
    expect(vetted.requests).toHaveLength(1);
  });
});
