import type { ClientRequest, IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { VettedAddress, VettedOutboundUrl } from '../../adapters/net/outbound-url';
import { PinnedAgentPool } from '../../adapters/net/pinned-agents';
import { openPinnedRequest } from '../../adapters/net/pinned-request';
import { postWebhook } from '../../adapters/push/webhook-client';
import { type Handler, type Receiver, startReceiver } from '../support/webhook-receivers';

const receivers: Receiver[] = [];
const pools: PinnedAgentPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) p.destroy();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(options: { host?: string; port?: number } = {}, handler?: Handler) {
  const r = await startReceiver(handler, options);
  receivers.push(r);
  return r;
}

function pool(options: ConstructorParameters<typeof PinnedAgentPool>[0] = {}): PinnedAgentPool {
  const p = new PinnedAgentPool(options);
  pools.push(p);
  return p;
}

const v4 = (address: string): VettedAddress => ({ address, family: 4 });

/** `hostname` as the check left it: pinned to `addresses` (the name itself resolves nowhere). */
const vetted = (hostname: string, port: number, addresses: VettedAddress[]): VettedOutboundUrl => ({
  url: new URL(`http://${hostname}:${port}/hook`),
  hostname,
  isIpLiteral: false,
  addresses,
});

/** One GET through the pool; resolves once the answer is read, with whether the socket was reused. */
function get(v: VettedOutboundUrl, agents?: PinnedAgentPool): Promise<{ reused: boolean; status: number }> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined;
    req = openPinnedRequest(
      v,
      'GET',
      {},
      (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => resolve({ reused: req?.reusedSocket ?? false, status: res.statusCode ?? 0 }));
      },
      agents,
    );
    req.on('error', reject);
    req.end();
  });
}

describe('PinnedAgentPool', () => {
  it('reuses the connection for the same origin and pinned address', async () => {
    const r = await receiver();
    const agents = pool();
    const target = vetted('hook.invalid', r.port, [v4('127.0.0.1')]);
    expect(await get(target, agents)).toEqual({ reused: false, status: 200 });
    expect(await get(target, agents)).toEqual({ reused: true, status: 200 });
    expect(await get(target, agents)).toEqual({ reused: true, status: 200 });
    expect(r.connections).toBe(1);
  });

  it('opens a new connection when the same origin was vetted to another address, and never mixes them', async () => {
    const a = await receiver({ host: '127.0.0.1' });
    const b = await receiver({ host: '127.0.0.2', port: a.port });
    const agents = pool();
    const toA = vetted('hook.invalid', a.port, [v4('127.0.0.1')]);
    const toB = vetted('hook.invalid', a.port, [v4('127.0.0.2')]);
    await get(toA, agents);
    expect(await get(toB, agents)).toEqual({ reused: false, status: 200 });
    expect(await get(toA, agents)).toEqual({ reused: true, status: 200 });
    expect(await get(toB, agents)).toEqual({ reused: true, status: 200 });
    // Each request reached the address its own check returned, on that address's one connection.
    expect(a.requests.map((q) => q.localAddress)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(b.requests.map((q) => q.localAddress)).toEqual(['127.0.0.2', '127.0.0.2']);
    expect([a.connections, b.connections]).toEqual([1, 1]);
  });

  it('does not share a connection between origins that reach the same address', async () => {
    const r = await receiver();
    const agents = pool();
    await get(vetted('one.invalid', r.port, [v4('127.0.0.1')]), agents);
    expect(await get(vetted('two.invalid', r.port, [v4('127.0.0.1')]), agents)).toMatchObject({
      reused: false,
    });
    expect(r.requests.map((q) => q.headers.host)).toEqual([`one.invalid:${r.port}`, `two.invalid:${r.port}`]);
    expect(r.connections).toBe(2);
  });

  it('keeps at most maxAgents agents, dropping the least recently used with its idle connections', async () => {
    const r = await receiver();
    const agents = pool({ maxAgents: 2 });
    const hosts = ['a.invalid', 'b.invalid', 'c.invalid'].map((h) => vetted(h, r.port, [v4('127.0.0.1')]));
    for (const h of hosts) await get(h, agents);
    expect(agents.size).toBe(2);
    // a.invalid's agent was dropped: its next request opens a new connection.
    expect(await get(hosts[0] as VettedOutboundUrl, agents)).toMatchObject({ reused: false });
    expect(await get(hosts[2] as VettedOutboundUrl, agents)).toMatchObject({ reused: true });
  });

  it('without a pool opens one connection per request, as before', async () => {
    const r = await receiver();
    const target = vetted('hook.invalid', r.port, [v4('127.0.0.1')]);
    await get(target);
    expect(await get(target)).toMatchObject({ reused: false });
    expect(r.connections).toBe(2);
  });
});

describe('postWebhook with a pool', () => {
  const policy = { allowHttpHosts: ['127.0.0.1'] };
  const body = Buffer.from('{}');

  it('keeps the connection alive between deliveries to the same webhook', async () => {
    const r = await receiver();
    const agents = pool();
    for (let i = 0; i < 3; i++) {
      await postWebhook({ url: `${r.origin}/hook`, headers: {}, body, policy, agents });
    }
    expect(r.requests).toHaveLength(3);
    expect(r.connections).toBe(1);
  });

  it('sends again once, on a new connection, when a kept connection is reset before any answer', async () => {
    let seen = 0;
    // The second request arrives on the kept connection: reset it without answering.
    const r = await receiver({}, (_req, res) => {
      seen += 1;
      if (seen === 2) return void res.socket?.destroy();
      res.writeHead(200).end('ok');
    });
    const agents = pool();
    await postWebhook({ url: `${r.origin}/hook`, headers: {}, body, policy, agents });
    await expect(
      postWebhook({ url: `${r.origin}/hook`, headers: {}, body, policy, agents }),
    ).resolves.toMatchObject({ status: 200 });
    expect(r.requests).toHaveLength(3);
    expect(r.connections).toBe(2);
  });
});
