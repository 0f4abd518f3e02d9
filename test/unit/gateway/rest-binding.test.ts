/**
 * The HTTP+JSON binding through app.inject: its URL table, google.rpc.Status errors with the
 * A2A 1.0.1 statuses, content negotiation, and the same admission, scope, tenant and body rules
 * as JSON-RPC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchRestRoute } from '../../../gateway/rest/rest-routes';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await gatewayHarness();
  token = await h.token();
});
afterAll(() => h.close());

const auth = (t = token) => ({ authorization: `Bearer ${t}` });
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...auth(), ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (url: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'GET', url, headers: { ...auth(), ...headers } });
const errorOf = (res: { json(): unknown }) =>
  (res.json() as { error: { code: number; status: string; message: string; details: { reason?: string }[] } })
    .error;

async function sentTask(agent = 'echo'): Promise<string> {
  const res = await post(`/agents/${agent}/message:send`, {
    message: userMessage('hi'),
    configuration: { returnImmediately: true },
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { task: { id: string } }).task.id;
}

describe('the HTTP+JSON URL table', () => {
  it.each([
    ['POST', '/message:send', 'SendMessage', undefined, {}],
    ['POST', '/agents/echo/message:stream', 'SendStreamingMessage', 'echo', {}],
    ['GET', '/tasks', 'ListTasks', undefined, {}],
    ['GET', '/agents/a%2Fb/tasks/t1', 'GetTask', 'a/b', { id: 't1' }],
    ['POST', '/tasks/t1:cancel', 'CancelTask', undefined, { id: 't1' }],
    ['GET', '/tasks/t1:subscribe', 'SubscribeToTask', undefined, { id: 't1' }],
    ['POST', '/tasks/t1:subscribe/', 'SubscribeToTask', undefined, { id: 't1' }],
    [
      'POST',
      '/tasks/t1/pushNotificationConfigs',
      'CreateTaskPushNotificationConfig',
      undefined,
      { taskId: 't1' },
    ],
    [
      'GET',
      '/tasks/t1/pushNotificationConfigs',
      'ListTaskPushNotificationConfigs',
      undefined,
      { taskId: 't1' },
    ],
    [
      'GET',
      '/tasks/t1/pushNotificationConfigs/c1',
      'GetTaskPushNotificationConfig',
      undefined,
      { taskId: 't1', id: 'c1' },
    ],
    [
      'DELETE',
      '/tasks/t1/pushNotificationConfigs/c1',
      'DeleteTaskPushNotificationConfig',
      undefined,
      { taskId: 't1', id: 'c1' },
    ],
    ['GET', '/extendedAgentCard', 'GetExtendedAgentCard', undefined, {}],
  ])('%s %s -> %s', (httpMethod, path, method, agentId, ids) => {
    expect(matchRestRoute(httpMethod, path)).toEqual({ ok: true, route: { method, agentId, ids } });
  });

  it('names the allowed methods for a known path, and leaves unknown paths alone', () => {
    expect(matchRestRoute('DELETE', '/message:send')).toEqual({ ok: false, allow: ['POST'] });
    expect(matchRestRoute('GET', '/debug/tasks')).toBeUndefined();
    expect(matchRestRoute('GET', '/tenant-a/tasks')).toBeUndefined();
    expect(matchRestRoute('GET', '/tasks/%E0%A4%A')).toBeUndefined();
  });
});

describe('HTTP+JSON answers', () => {
  it('serves the default agent at the root and each agent under /agents/{id}', async () => {
    const res = await post('/message:send', { message: userMessage('root') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const id = await sentTask('echo');
    const task = await get(`/agents/echo/tasks/${id}`);
    expect(task.statusCode).toBe(200);
    expect(task.json()).toMatchObject({ id });
  });

  it('answers application/a2a+json to a client that accepts it', async () => {
    const id = await sentTask();
    const res = await get(`/agents/echo/tasks/${id}`, { accept: 'application/a2a+json, application/json' });
    expect(res.headers['content-type']).toMatch(/^application\/a2a\+json/);
    const missing = await get('/agents/echo/tasks/nope', { accept: 'application/a2a+json' });
    expect(missing.headers['content-type']).toMatch(/^application\/a2a\+json/);
  });

  it('maps A2A errors to google.rpc.Status with ErrorInfo and the 1.0.1 statuses', async () => {
    const missing = await get('/agents/echo/tasks/nope');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing)).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    expect(errorOf(missing).details[0]).toMatchObject({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'TASK_NOT_FOUND',
      domain: 'a2a-protocol.org',
    });

    const id = await sentTask();
    await h.drain();
    const cancel = await post(`/agents/echo/tasks/${id}:cancel`, '');
    expect(cancel.statusCode).toBe(400);
    expect(errorOf(cancel)).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(errorOf(cancel).details[0]?.reason).toBe('TASK_NOT_CANCELABLE');

    const version = await post(
      '/agents/echo/message:send',
      { message: userMessage('v') },
      { 'a2a-version': '99.0' },
    );
    expect(version.statusCode).toBe(400);
    expect(errorOf(version).details[0]?.reason).toBe('VERSION_NOT_SUPPORTED');

    const stream = await post('/agents/echo/message:stream', { message: userMessage('s') });
    expect(stream.statusCode).toBe(400);
    expect(errorOf(stream)).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(errorOf(stream).details[0]?.reason).toBe('UNSUPPORTED_OPERATION');
  });

  it('validates params with a field violation, from the body and the query alike', async () => {
    const role = await post('/agents/echo/message:send', { message: { ...userMessage('r'), role: 'user' } });
    expect(role.statusCode).toBe(400);
    expect(errorOf(role)).toMatchObject({ status: 'INVALID_ARGUMENT' });
    expect(errorOf(role).message).toContain('ROLE_USER');

    const page = await get('/agents/echo/tasks?pageSize=abc');
    expect(page.statusCode).toBe(400);
    expect(errorOf(page).details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field: 'pageSize', description: 'Expected integer' }],
    });
    const twice = await get('/agents/echo/tasks?pageSize=1&pageSize=2');
    expect(twice.statusCode).toBe(400);
    expect(errorOf(twice).message).toContain('pageSize');
  });

  it('refuses a body id that disagrees with the path', async () => {
    const id = await sentTask('conformance');
    const res = await post(`/agents/conformance/tasks/${id}/pushNotificationConfigs`, {
      taskId: 'another-task',
      url: 'https://hooks.example.com/a2a',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).message).toContain('differs from the path');
  });

  it('creates push configs with 201 and deletes them with 204', async () => {
    const id = await sentTask('conformance');
    const created = await post(`/agents/conformance/tasks/${id}/pushNotificationConfigs`, {
      url: 'https://hooks.example.com/a2a',
    });
    expect(created.statusCode).toBe(201);
    const configId = (created.json() as { id: string }).id;
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/agents/conformance/tasks/${id}/pushNotificationConfigs/${configId}`,
      headers: auth(),
    });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
  });

  it('refuses another tenant in the body (the tenant is the token’s)', async () => {
    const res = await post('/agents/echo/message:send', { tenant: 'other', message: userMessage('t') });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).message).toContain('tenant');
  });

  it('answers 415 for a body that is not JSON, 400 for JSON that is not an object', async () => {
    const text = await post('/agents/echo/message:send', 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(errorOf(text).details[0]?.reason).toBe('CONTENT_TYPE_NOT_SUPPORTED');
    const broken = await post('/agents/echo/message:send', '{"message":');
    expect(broken.statusCode).toBe(400);
    const array = await post('/agents/echo/message:send', '[1]');
    expect(array.statusCode).toBe(400);
    expect(errorOf(array).message).toBe('The body must be a JSON object');
  });

  it('answers 413 for a body over the limit, in the binding’s shape', async () => {
    const res = await post('/agents/echo/message:send', { message: userMessage('x'.repeat(300 * 1024)) });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res).details[0]?.reason).toBe('REQUEST_TOO_LARGE');
  });

  it('answers 405 with Allow for a known path and a method it does not serve', async () => {
    const res = await h.app.inject({ method: 'DELETE', url: '/agents/echo/message:send', headers: auth() });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('checks the token after the path: 404 for an unknown path, 401 for a known one', async () => {
    const unknown = await h.app.inject({ method: 'GET', url: '/agents/echo/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    const known = await h.app.inject({ method: 'GET', url: '/agents/echo/tasks' });
    expect(known.statusCode).toBe(401);
    expect(known.headers['www-authenticate']).toBe('Bearer realm="a2a"');
  });

  it('applies scopes per operation and the agent scope (403), and unknown agents (404)', async () => {
    const readOnly = await h.token({ scopes: ['tasks:read'] });
    const send = await post('/agents/echo/message:send', { message: userMessage('x') }, auth(readOnly));
    expect(send.statusCode).toBe(403);
    expect(send.headers['www-authenticate']).toContain('scope="tasks:submit"');
    expect((await get('/agents/echo/tasks', auth(readOnly))).statusCode).toBe(200);

    const echoOnly = await h.token({ scopes: ['tasks:read', 'agent:echo'] });
    expect((await get('/agents/conformance/tasks', auth(echoOnly))).statusCode).toBe(403);
    expect((await get('/agents/nobody/tasks')).statusCode).toBe(404);
  });

  it("never shows another tenant's task", async () => {
    const id = await sentTask();
    const other = await h.token({ tenant: 'globex' });
    const res = await get(`/agents/echo/tasks/${id}`, auth(other));
    expect(res.statusCode).toBe(404);
    const cancel = await post(`/agents/echo/tasks/${id}:cancel`, '', auth(other));
    expect(cancel.statusCode).toBe(404);
  });

  it('leaves JSON-RPC as it was on the same paths', async () => {
    const res = await h.rpc('GetTask', { id: 'nope' }, { agent: 'echo' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 } });
  });
});
