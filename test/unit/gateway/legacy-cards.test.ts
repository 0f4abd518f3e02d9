/** The 0.3-shaped card for 0.3 clients, and the 0.3 interface declared in the v1.0 card. */
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
    });
    expect(card).not.toHaveProperty('supportedInterfaces');
    expect(card).not.toHaveProperty('securityRequirements');
    const root = (await get('/.well-known/agent.json')).json();
    expect(root.url).toBe('http://gateway.test/agents/echo');
  });

  it('serves the 0.3 card at agent-card.json only when the request asks for A2A-Version 0.3', async () => {
    const v03 = await get('/agents/conformance/.well-known/agent-card.json', { 'a2a-version': '0.3' });
    expect(v03.json().protocolVersion).toBe('0.3.0');
    expect(v03.headers.vary).toMatch(/A2A-Version/);
    const v1 = await get('/agents/conformance/.well-known/agent-card.json', { 'a2a-version': '1.0' });
    const none = await get('/agents/conformance/.well-known/agent-card.json');
    for (const res of [v1, none]) {
      expect(res.json()).not.toHaveProperty('protocolVersion');
      expect(res.json().supportedInterfaces[0].protocolVersion).toBe('1.0');
    }
    expect(v03.headers.etag).not.toBe(v1.headers.etag);
  });

  it('declares the 0.3 interface after the preferred 1.0 one in the v1.0 card', async () => {
    const card = (await get('/agents/echo/.well-known/agent-card.json')).json();
    expect(card.supportedInterfaces).toEqual([
      { url: 'http://gateway.test/agents/echo', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url: 'http://gateway.test/agents/echo', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
    ]);
  });
});
