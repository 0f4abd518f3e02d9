import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type OverloadGuard, registerOverloadGuard } from '../../gateway/overload';

/** A route that holds each request until the test lets it go, behind a fake auth hook. */
async function heldApp(settings: Parameters<typeof registerOverloadGuard>[1]) {
  const app: FastifyInstance = Fastify();
  const guard: OverloadGuard = registerOverloadGuard(app, settings);
  const held: (() => void)[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const tenant = request.headers['x-tenant'];
    (request as { principal: unknown }).principal = typeof tenant === 'string' ? { tenant } : null;
  });
  app.post('/rpc', async () => {
    await new Promise<void>((resolve) => held.push(resolve));
    return { jsonrpc: '2.0', id: 1, result: {} };
  });
  app.post('/quick', async () => ({ jsonrpc: '2.0', id: 1, result: {} }));
  // an HTTP+JSON read (GET /tasks/{id}): a GET that is an A2A call, held like the POSTs
  app.get('/tasks/:id', async () => {
    await new Promise<void>((resolve) => held.push(resolve));
    return { id: 't' };
  });
  app.get('/health', async () => ({ status: 'ok' }));
  await app.ready();
  const post = (tenant: string) =>
    app.inject({
      method: 'POST',
      url: '/rpc',
      headers: { 'x-tenant': tenant, 'content-type': 'application/json' },
      payload: '{}',
    });
  /** lets every held request finish */
  const release = () => {
    for (const r of held.splice(0)) r();
  };
  const waitHeld = async (n: number) => {
    while (held.length < n) await new Promise((r) => setImmediate(r));
  };
  const quick = () =>
    app.inject({
      method: 'POST',
      url: '/quick',
      headers: { 'x-tenant': 'a', 'content-type': 'application/json' },
      payload: '{}',
    });
  const getTask = (tenant: string) =>
    app.inject({ method: 'GET', url: '/tasks/t1', headers: { 'x-tenant': tenant } });
  return { app, guard, post, quick, getTask, release, waitHeld };
}

const errorOf = (res: LightMyRequestResponse) =>
  res.json() as {
    jsonrpc: string;
    id: null;
    error: { code: number; data: { reason: string; metadata: Record<string, string> }[] };
  };

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('the overload guard', () => {
  it('answers 429 to a tenant over its share and 503 once the process is full, then serves again', async () => {
    const h = await heldApp({ maxInFlight: 3, maxInFlightPerTenant: 2, retryAfterSeconds: 4 });
    close = () => h.app.close();
    const a1 = h.post('a');
    const a2 = h.post('a');
    await h.waitHeld(2);
    const a3 = await h.post('a');
    expect(a3.statusCode).toBe(429);
    expect(a3.headers['retry-after']).toBe('4');
    expect(errorOf(a3)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32603 } });
    expect(errorOf(a3).error.data[0]).toMatchObject({
      reason: 'RESOURCE_EXHAUSTED',
      metadata: { limit: 'tenant' },
    });

    const b1 = h.post('b');
    await h.waitHeld(3);
    const b2 = await h.post('b');
    expect(b2.statusCode).toBe(503);
    expect(b2.headers['retry-after']).toBe('4');
    expect(errorOf(b2).error.data[0]).toMatchObject({
      reason: 'UNAVAILABLE',
      metadata: { limit: 'process' },
    });
    expect((await h.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);

    h.release();
    expect((await Promise.all([a1, a2, b1])).map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const again = h.post('a');
    await h.waitHeld(1);
    h.release();
    expect((await again).statusCode).toBe(200);
    expect(h.guard.stats()).toMatchObject({
      inFlight: 0,
      peakInFlight: 3,
      peakTenantInFlight: 2,
      refused: { process: 1, tenant: 1, 'event-loop': 0 },
    });
  });

  it('counts HTTP+JSON reads (GETs) against the tenant, and refuses them with a google.rpc.Status', async () => {
    const h = await heldApp({ maxInFlight: 3, maxInFlightPerTenant: 2, retryAfterSeconds: 4 });
    close = () => h.app.close();
    const first = [h.getTask('a'), h.getTask('a')];
    await h.waitHeld(2);
    const refused = await h.getTask('a');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        details: [{ reason: 'RESOURCE_EXHAUSTED', metadata: { limit: 'tenant' } }],
      },
    });
    expect(refused.json()).not.toHaveProperty('jsonrpc');
    expect((await h.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    h.release();
    expect((await Promise.all(first)).map((r) => r.statusCode)).toEqual([200, 200]);
    expect(h.guard.stats()).toMatchObject({ inFlight: 0, refused: { tenant: 1 } });
  });

  it('refuses new work while the event loop is stalled and serves once it runs freely', async () => {
    const h = await heldApp({ maxInFlight: 10, maxEventLoopDelayMs: 250, sampleIntervalMs: 50 });
    close = () => h.app.close();
    const stallUntil = Date.now() + 800;
    while (Date.now() < stallUntil) {
      // a CPU hog
    }
    await new Promise((r) => setTimeout(r, 5));
    const stalled = await h.quick();
    expect(stalled.statusCode).toBe(503);
    expect(errorOf(stalled).error.data[0]?.metadata.limit).toBe('event-loop');
    // Served again once a sample sees a free loop (a busy test machine may need a few samples).
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await h.quick()).statusCode;
    }
    expect(status).toBe(200);
  });

  it('gives the slot of a hijacked reply (an SSE stream) back while the stream stays open', async () => {
    const app = Fastify();
    registerOverloadGuard(app, { maxInFlight: 1 });
    app.post('/stream', async (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.write(': open\n\n');
    });
    app.post('/quick', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    const { port } = app.server.address() as AddressInfo;
    const abort = new AbortController();
    try {
      const stream = await fetch(`http://127.0.0.1:${port}/stream`, { method: 'POST', signal: abort.signal });
      expect(stream.status).toBe(200);
      const quick = await fetch(`http://127.0.0.1:${port}/quick`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(quick.status).toBe(200);
    } finally {
      abort.abort();
    }
  });

  it('rejects settings that cannot bound anything', () => {
    expect(() => registerOverloadGuard(Fastify(), { maxInFlight: 0 })).toThrow(/maxInFlight/);
  });

  it('keeps a tenant share below the process bound, so one tenant cannot take every slot', () => {
    expect(() => registerOverloadGuard(Fastify(), { maxInFlight: 8, maxInFlightPerTenant: 8 })).toThrow(
      /maxInFlightPerTenant must be below maxInFlight/,
    );
    expect(registerOverloadGuard(Fastify(), { maxInFlight: 40 }).settings.maxInFlightPerTenant).toBe(10);
  });
});
