/**
 * The 0.3-shaped card for 0.3 clients (also what a request without A2A-Version gets), and the
 * 0.3 interface declared in the v1.0 card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness({}, { streaming: {} });
});
afterAll(() => h.close());

const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ url, headers });

describe('agent cards for 0.3 clients', () => {
  it('serves a 0.3 card at /.well-known/agent.json with url, preferredTransport and OpenAPI security', async () => {
    const res = await get('/agents/conformance/.well-known/agent.json');
    expect(res.statusCode).toBe(200);
    const card = res.json();
    expect(card).toMatchObject({
      protocolVersion: '0.3.0',
      url: 'http://gateway.test/agents/conformance',
      preferredTransport: 'JSONRPC',
      capabilities: { streaming: true, pushNotifications: true },
      supportsAuthenticatedExtendedCard: true,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      security: [{ bearer: [] }],
      additionalInterfaces: [{ url: 'http://gateway.test/agents/conformance', transport: 'JSONRPC' }],
    });
    expect(card).not.toHaveProperty('securityRequirements');
    expect(card).not.toHaveProperty('supportedInterfaces');
    const root = (await get('/.well-known/agent.json')).json();
    expect(root.url).toBe('http://gateway.test/agents/echo');
  });

  it('serves the 0.3 card at agent-card.json for A2A-Version 0.3 and for a request without the header', async () => {
    for (const path of ['/.well-known/agent-card.json', '/agents/conformance/.well-known/agent-card.json']) {
      const v03 = await get(path, { 'a2a-version': '0.3' });
      const none = await get(path);
      const empty = await get(path, { 'a2a-version': '' });
      for (const res of [v03, none, empty]) {
        expect(res.json()).toMatchObject({ protocolVersion: '0.3.0', preferredTransport: 'JSONRPC' });
        expect(res.json().url).toMatch(/^http:\/\/gateway.test\/agents\//);
        expect(res.headers.vary).toMatch(/A2A-Version/);
      }
      const v1 = await get(path, { 'a2a-version': '1.0' });
      expect(v1.json()).not.toHaveProperty('protocolVersion');
      expect(v1.json()).not.toHaveProperty('url');
      expect(v1.headers.vary).toMatch(/A2A-Version/);
      expect(v03.json()).not.toHaveProperty('supportedInterfaces');
      expect(none.json().supportedInterfaces).toEqual(v1.json().supportedInterfaces);
      expect(empty.headers.etag).toBe(none.headers.etag);
      expect(new Set([v03.headers.etag, none.headers.etag, v1.headers.etag]).size).toBe(3);
    }
  });

  it('lets a v1.0 client that sends no A2A-Version find its interface in the 0.3 card', async () => {
    const none = (await get('/agents/echo/.well-known/agent-card.json')).json();
    const v1 = (await get('/agents/echo/.well-known/agent-card.json', { 'a2a-version': '1.0' })).json();
    expect(none.supportedInterfaces).toEqual(v1.supportedInterfaces);
    expect(none.supportedInterfaces[0]).toMatchObject({ protocolBinding: 'JSONRPC', protocolVersion: '1.0' });
  });

  it('answers If-None-Match per variant: 304 for the same variant only', async () => {
    const path = '/agents/echo/.well-known/agent-card.json';
    const legacy = await get(path);
    const v1 = await get(path, { 'a2a-version': '1.0' });
    expect((await get(path, { 'if-none-match': legacy.headers.etag as string })).statusCode).toBe(304);
    const crossed = await get(path, { 'a2a-version': '1.0', 'if-none-match': legacy.headers.etag as string });
    expect(crossed.statusCode).toBe(200);
    expect(crossed.headers.etag).toBe(v1.headers.etag);
  });

  it('declares JSON-RPC 1.0 first, then HTTP+JSON 1.0, then JSON-RPC 0.3 in the v1.0 card', async () => {
    const card = (await get('/agents/echo/.well-known/agent-card.json', { 'a2a-version': '1.0' })).json();
    expect(card.supportedInterfaces).toEqual([
      { url: 'http://gateway.test/agents/echo', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url: 'http://gateway.test/agents/echo', protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
      { url: 'http://gateway.test/agents/echo', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
    ]);
  });

  it('lists only JSON-RPC in the 0.3 card (0.3 REST, /v1/… in 0.3 proto JSON, is not served)', async () => {
    const card = (await get('/agents/echo/.well-known/agent.json')).json();
    expect(card.preferredTransport).toBe('JSONRPC');
    expect(card.additionalInterfaces).toEqual([
      { url: 'http://gateway.test/agents/echo', transport: 'JSONRPC' },
    ]);
  });
});
