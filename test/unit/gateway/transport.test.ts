import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await gatewayHarness();
  token = await h.token();
});
afterAll(() => h.close());

const post = (payload: string, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url: '/agents/echo',
    headers: {
      'content-type': 'application/json',
      'a2a-version': '1.0',
      authorization: `Bearer ${token}`,
      ...headers,
    },
    payload,
  });

const errorInfo = (body: { error: { data: { '@type': string; reason?: string; domain?: string }[] } }) =>
  body.error.data.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo');

describe('JSON-RPC envelope', () => {
  it('answers -32700 with id null and HTTP 200 for a body that is not JSON', async () => {
    const res = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(errorInfo(res.json())).toMatchObject({ reason: 'PARSE_ERROR', domain: 'a2a-protocol.org' });
  });

  it.each([
    ['jsonrpc is not 2.0', { jsonrpc: '1.0', id: 1, method: 'GetTask', params: {} }, 1],
    ['method is missing', { jsonrpc: '2.0', id: 2, params: {} }, 2],
    ['method is not a string', { jsonrpc: '2.0', id: 3, method: 42 }, 3],
    ['id is an object', { jsonrpc: '2.0', id: { a: 1 }, method: 'GetTask' }, null],
    ['id is missing (a notification)', { jsonrpc: '2.0', method: 'GetTask', params: { id: 'x' } }, null],
    ['the body is a batch', [{ jsonrpc: '2.0', id: 1, method: 'GetTask' }], null],
    ['the body is a string', 'hello', null],
  ])('answers -32600 when %s', async (_name, body, id) => {
    const res = await post(JSON.stringify(body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, error: { code: -32600 } });
  });

  it('checks the method and params of a request without id before refusing it as a notification', async () => {
    const unknown = await post(JSON.stringify({ jsonrpc: '2.0', method: 'NoSuchMethod', params: {} }));
    expect(unknown.json()).toMatchObject({ id: null, error: { code: -32601 } });
    const badParams = await post(JSON.stringify({ jsonrpc: '2.0', method: 'GetTask', params: { '': 1 } }));
    expect(badParams.json()).toMatchObject({ id: null, error: { code: -32602 } });
  });

  it.each(['tasks/foo', 'message/send', 'constructor', '__proto__', 'toString'])(
    'answers -32601 for the unknown method %s',
    async (method) => {
      const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 'x', method, params: {} }));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: 'x', error: { code: -32601 } });
    },
  );

  it('answers -32602 with BadRequest field violations when params are not an object', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: [1, 2] }));
    const body = res.json();
    expect(body.error.code).toBe(-32602);
    expect(
      body.error.data.some((d: { '@type': string }) => d['@type'].endsWith('google.rpc.BadRequest')),
    ).toBe(true);
  });

  it('answers -32005 with HTTP 200 for a non-JSON Content-Type', async () => {
    const res = await post('hello', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ error: { code: -32005 } });
    expect(errorInfo(res.json())?.reason).toBe('CONTENT_TYPE_NOT_SUPPORTED');
  });

  it('refuses an oversized body with HTTP 413 and a JSON-RPC error', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: { message: userMessage('x'.repeat(300_000)) },
    });
    const res = await post(huge);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toMatch(/exceeds the limit/);
  });

  it('removes prototype-pollution keys instead of honouring them', async () => {
    const res = await post('{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"__proto__":{"id":"x"}}}');
    expect(res.json().error.code).toBe(-32602);
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });
});

describe('A2A-Version', () => {
  const getTask = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'nope' } });

  it('answers -32009 VERSION_NOT_SUPPORTED for 99.0', async () => {
    const res = await post(getTask, { 'a2a-version': '99.0' });
    expect(res.json().error.code).toBe(-32009);
    expect(errorInfo(res.json())?.reason).toBe('VERSION_NOT_SUPPORTED');
  });

  it('accepts the version as a query parameter and header names in any case', async () => {
    const viaQuery = await h.app.inject({
      method: 'POST',
      url: '/agents/echo?A2A-Version=1.0',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: getTask,
    });
    expect(viaQuery.json().error.code).toBe(-32001);
    const mixedCase = await post(getTask, { 'A2a-VeRsIoN': '1.0' });
    expect(mixedCase.json().error.code).toBe(-32001);
  });
});

describe('authentication and scopes', () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ListTasks', params: {} });

  it('answers 401 with WWW-Authenticate when no token is sent', async () => {
    const res = await post(body, { authorization: '' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers 401 for a token signed by another key', async () => {
    const other = await (await import('../../../authorizer/dev-issuer')).createEphemeralDevIssuer();
    const forged = await other.mint({ tenant: 'acme', scopes: ['tasks:read'] });
    const res = await post(body, { authorization: `Bearer ${forged}` });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/invalid_token/);
  });

  it('answers 403 when the token lacks the method scope', async () => {
    const submitOnly = await h.token({ scopes: ['tasks:submit'] });
    const res = await post(body, { authorization: `Bearer ${submitOnly}` });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/insufficient_scope/);
  });

  it('answers 403 when agent scopes name other agents', async () => {
    const echoOnly = await h.token({ agents: ['conformance'] });
    const res = await post(body, { authorization: `Bearer ${echoOnly}` });
    expect(res.statusCode).toBe(403);
  });
});

describe('agent cards', () => {
  it('serves the default agent at the root with v1.0 fields only to A2A-Version 1.0', async () => {
    const res = await h.app.inject({
      url: '/.well-known/agent-card.json',
      headers: { 'a2a-version': '1.0' },
    });
    expect(res.statusCode).toBe(200);
    const card = res.json();
    expect(card.supportedInterfaces[0]).toEqual({
      url: 'http://gateway.test/agents/echo',
      protocolBinding: 'JSONRPC',
      protocolVersion: '1.0',
    });
    for (const key of [
      'name',
      'description',
      'version',
      'capabilities',
      'defaultInputModes',
      'defaultOutputModes',
      'skills',
    ]) {
      expect(card).toHaveProperty(key);
    }
    for (const legacy of [
      'kind',
      'url',
      'protocolVersion',
      'preferredTransport',
      'supportsAuthenticatedExtendedCard',
    ]) {
      expect(card).not.toHaveProperty(legacy);
    }
    expect(card.securitySchemes.bearer).toEqual({
      httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' },
    });
    expect(card.capabilities).toEqual({
      streaming: false,
      pushNotifications: true,
      extendedAgentCard: true,
    });
  });

  it('sends ETag and Cache-Control, and 304 on a matching If-None-Match', async () => {
    const first = await h.app.inject({ url: '/agents/conformance/.well-known/agent-card.json' });
    expect(first.headers['cache-control']).toMatch(/max-age=\d+/);
    const etag = String(first.headers.etag);
    const again = await h.app.inject({
      url: '/agents/conformance/.well-known/agent-card.json',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers 404 for an unknown agent', async () => {
    expect((await h.app.inject({ url: '/agents/nope/.well-known/agent-card.json' })).statusCode).toBe(404);
  });
});

describe('paths', () => {
  const card = (url: string) => h.app.inject({ url });
  it.each([
    ['/.well-known/agent-card.json'],
    ['/.well-known/agent.json'],
    ['/agents/conformance/.well-known/agent-card.json'],
    ['/agents/conformance/.well-known/agent.json'],
    ['/health'],
  ])('answers GET %s the same with a trailing slash', async (path) => {
    const plain = await card(path);
    const slashed = await card(`${path}/`);
    expect(plain.statusCode).toBe(200);
    expect(slashed.statusCode).toBe(200);
    expect(slashed.body).toBe(plain.body);
  });

  it.each([['/agents/echo/'], ['/agents/conformance/'], ['//']])(
    'answers a JSON-RPC POST to %s like the path without the slash',
    async (url) => {
      const res = await h.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          'a2a-version': '1.0',
          authorization: `Bearer ${token}`,
        },
        payload: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'GetTask', params: { id: 'nope' } }),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32001 } });
    },
  );

  it('answers an unknown path with a JSON error a JSON-RPC client can read', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/agents/echo/extra',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: '{}',
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: 404, status: 'NOT_FOUND' } });
    expect(res.json().error.message).toContain('/agents/{agentId}');
    const get = await h.app.inject({ url: '/nothing/here' });
    expect(get.statusCode).toBe(404);
    expect(get.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });

  it('answers an unknown agent with a JSON 404 that names it', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/agents/nope/',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0', authorization: `Bearer ${token}` },
      payload: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
      message: 'Unknown agent "nope"',
    });
  });
});
