/**
 * The local debug route (GET /debug/tasks/{id}) keeps the promises of GetTask: a valid token, the
 * scope tasks:read, the token's tenant and only agents its `agent:<id>` scopes allow. A task the
 * token may not see answers exactly like an unknown one.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../gateway/app';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
let app: FastifyInstance;
let taskId: string;

beforeAll(async () => {
  h = await gatewayHarness({ blockingTimeoutMs: 0 });
  app = await buildApp({ ...h.deps, debugRoutes: true });
  const sent = await h.rpc(
    'SendMessage',
    { message: userMessage('secret'), configuration: { returnImmediately: true } },
    { agent: 'echo' },
  );
  taskId = sent.json().result.task.id;
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const debug = (token: string | undefined, id = taskId) =>
  app.inject({
    method: 'GET',
    url: `/debug/tasks/${id}`,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

describe('GET /debug/tasks/{id}', () => {
  it('shows the task to a token of its tenant with tasks:read', async () => {
    const res = await debug(await h.token({ scopes: ['tasks:read'] }));
    expect(res.statusCode).toBe(200);
    expect(res.json().task).toMatchObject({ id: taskId, agentId: 'echo' });
  });

  it('answers 401 without a token', async () => {
    expect((await debug(undefined)).statusCode).toBe(401);
  });

  it('answers 403 with a JSON body to a token without tasks:read', async () => {
    const res = await debug(await h.token({ scopes: ['tasks:submit', 'tasks:cancel', 'webhooks:manage'] }));
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(res.body).not.toContain(taskId);
  });

  it('answers a task on an agent the token may not use like an unknown task', async () => {
    const unknown = await debug(await h.token({ scopes: ['tasks:read'] }), 'no-such-task');
    const forbidden = await debug(await h.token({ scopes: ['tasks:read'], agents: ['currency'] }));
    expect(forbidden.statusCode).toBe(404);
    expect(forbidden.headers['content-type']).toMatch(/^application\/json/);
    expect(forbidden.json()).toEqual(unknown.json());
    // the agent the task runs on is allowed
    const allowed = await debug(await h.token({ scopes: ['tasks:read'], agents: ['echo'] }));
    expect(allowed.statusCode).toBe(200);
  });

  it('answers a task of another tenant like an unknown task', async () => {
    const unknown = await debug(await h.token({ tenant: 'globex' }), 'no-such-task');
    const other = await debug(await h.token({ tenant: 'globex' }));
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual(unknown.json());
  });
});
