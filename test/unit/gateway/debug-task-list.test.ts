/**
 * GET /debug/tasks (local mode) lists the caller's recent tasks with the promises of ListTasks:
 * a valid token, tasks:read, the token's tenant only and only agents its `agent:<id>` scopes
 * allow; newest first and bounded.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../gateway/app';
import { DEBUG_TASKS_MAX } from '../../../gateway/routes/debug-task-list';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
let app: FastifyInstance;
const sent: { id: string; agent: string }[] = [];
let otherTenantTask: string;

async function send(agent: string, tenant = 'acme'): Promise<string> {
  const token = await h.token({ tenant });
  const res = await h.rpc(
    'SendMessage',
    { message: userMessage(`hi ${agent}`), configuration: { returnImmediately: true } },
    { agent, token },
  );
  return res.json().result.task.id;
}

beforeAll(async () => {
  h = await gatewayHarness({ blockingTimeoutMs: 0 });
  app = await buildApp({ ...h.deps, debugRoutes: true });
  for (const agent of ['echo', 'conformance', 'echo']) sent.push({ id: await send(agent), agent });
  otherTenantTask = await send('echo', 'globex');
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const list = (token: string | undefined, query = '') =>
  app.inject({
    method: 'GET',
    url: `/debug/tasks${query}`,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

const ids = (body: { tasks: { id: string }[] }): string[] => body.tasks.map((t) => t.id);

describe('GET /debug/tasks', () => {
  it("lists the tenant's tasks on every agent, newest first, and none of another tenant", async () => {
    const res = await list(await h.token({ scopes: ['tasks:read'] }));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect([...ids(body)].sort()).toEqual(sent.map((t) => t.id).sort());
    expect(ids(body)).not.toContain(otherTenantTask);
    expect(body.tasks[0]).toMatchObject({ agentId: expect.any(String), state: expect.any(String) });
    const stamps = body.tasks.map((t: { updatedAt: string }) => t.updatedAt);
    expect(stamps).toEqual([...stamps].sort().reverse());
  });

  it('lists only tasks on agents the token agent:<id> scopes allow', async () => {
    const res = await list(await h.token({ scopes: ['tasks:read'], agents: ['conformance'] }));
    expect(ids(res.json())).toEqual(sent.filter((t) => t.agent === 'conformance').map((t) => t.id));
  });

  it('returns the newest limit tasks', async () => {
    const token = await h.token({ scopes: ['tasks:read'] });
    const all = (await list(token)).json().tasks as { id: string; updatedAt: string }[];
    const res = await list(token, '?limit=2');
    expect(res.json()).toMatchObject({ limit: 2 });
    const page = res.json().tasks as { id: string; updatedAt: string }[];
    expect(page).toHaveLength(2);
    const left = all.filter((t) => !page.some((p) => p.id === t.id));
    for (const t of page) for (const l of left) expect(t.updatedAt >= l.updatedAt).toBe(true);
  });

  it('answers 400 with a JSON body to a limit out of bounds', async () => {
    const token = await h.token({ scopes: ['tasks:read'] });
    for (const q of ['?limit=0', `?limit=${DEBUG_TASKS_MAX + 1}`, '?limit=abc']) {
      const res = await list(token, q);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_request' });
    }
  });

  it('answers 401 without a token and 403 without tasks:read', async () => {
    expect((await list(undefined)).statusCode).toBe(401);
    const res = await list(await h.token({ scopes: ['tasks:submit'] }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(res.body).not.toContain(sent[0]?.id);
  });

  it('is not served outside local mode', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/debug/tasks',
      headers: { authorization: `Bearer ${await h.token()}` },
    });
    expect(res.statusCode).toBe(404);
  });
});
