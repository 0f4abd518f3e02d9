import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
let acme: string;
let globex: string;

beforeAll(async () => {
  h = await gatewayHarness({ maxQueuedTasksPerTenant: 2 });
  acme = await h.token({ tenant: 'acme' });
  globex = await h.token({ tenant: 'globex' });
});
afterAll(() => h.close());

const send = (token: string, message = userMessage('hello')) =>
  h.rpc('SendMessage', { message, configuration: { returnImmediately: true } }, { token });

describe('per-tenant cap on queued work (TENANT_MAX_QUEUED_TASKS)', () => {
  it('answers 429 with Retry-After and -32603 RESOURCE_EXHAUSTED once a tenant has its cap of queued tasks', async () => {
    const first = userMessage('first');
    expect((await send(acme, first)).statusCode).toBe(200);
    expect((await send(acme)).statusCode).toBe(200);

    const refused = await send(acme);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json().error).toMatchObject({
      code: -32603,
      data: [{ reason: 'RESOURCE_EXHAUSTED', metadata: { limit: '2', retryAfterSeconds: '5' } }],
    });
    // the refused send left nothing behind: still 2 queued tasks
    expect(h.queue.take()).toHaveLength(2);

    // another tenant is not held back, and a retried send still returns its task
    expect((await send(globex)).statusCode).toBe(200);
    const retried = await send(acme, first);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().result.task.status.state).toBe('TASK_STATE_SUBMITTED');
  });

  it('admits work again once workers have claimed the queued tasks, and caps follow-ups too', async () => {
    const tenant = await h.token({ tenant: 'initech' });
    const a = (await send(tenant)).json().result.task.id;
    const b = (await send(tenant)).json().result.task.id;
    expect((await send(tenant)).statusCode).toBe(429);
    await h.drain(); // the conformance agent answers and asks for input: nothing queued now
    expect((await send(tenant)).statusCode).toBe(200);
    expect((await send(tenant)).statusCode).toBe(200);
    const followUp = await send(tenant, userMessage('more', { taskId: a }));
    expect(followUp.statusCode).toBe(429);
    await h.drain();
    expect((await send(tenant, userMessage('more', { taskId: b }))).statusCode).toBe(200);
  });
});
