/**
 * Every method against every scope: allowed (the call reaches the method, whatever it answers)
 * or HTTP 403 before any lookup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../core/context';
import { PermissionDeniedError } from '../../../core/errors';
import { Scope } from '../../../core/scopes';
import { type TaskRecord, toTask } from '../../../core/task-record';
import { sendMessage } from '../../../core/use-cases/send-message';
import { METHODS } from '../../../gateway/json-rpc/method-table';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness({ blockingTimeoutMs: 0 });
});
afterAll(() => h.close());

const REQUIRED: Record<string, Scope | null> = {
  SendMessage: Scope.Submit,
  SendStreamingMessage: Scope.Submit,
  GetTask: Scope.Read,
  ListTasks: Scope.Read,
  SubscribeToTask: Scope.Read,
  CancelTask: Scope.Cancel,
  CreateTaskPushNotificationConfig: Scope.Webhooks,
  GetTaskPushNotificationConfig: Scope.Webhooks,
  ListTaskPushNotificationConfigs: Scope.Webhooks,
  DeleteTaskPushNotificationConfig: Scope.Webhooks,
  GetExtendedAgentCard: null,
};

const PARAMS: Record<string, () => unknown> = {
  SendMessage: () => ({ message: userMessage('x'), configuration: { returnImmediately: true } }),
  SendStreamingMessage: () => ({ message: userMessage('x') }),
  GetTask: () => ({ id: 'nope' }),
  ListTasks: () => ({}),
  SubscribeToTask: () => ({ id: 'nope' }),
  CancelTask: () => ({ id: 'nope' }),
  CreateTaskPushNotificationConfig: () => ({ taskId: 'nope', url: 'https://hooks.example.com/x' }),
  GetTaskPushNotificationConfig: () => ({ taskId: 'nope', id: 'c' }),
  ListTaskPushNotificationConfigs: () => ({ taskId: 'nope' }),
  DeleteTaskPushNotificationConfig: () => ({ taskId: 'nope', id: 'c' }),
  GetExtendedAgentCard: () => ({}),
};

const SCOPES = Object.values(Scope);

describe('scopes per method', () => {
  it('covers every method in the method table', () => {
    expect(Object.keys(REQUIRED).sort()).toEqual(Object.keys(METHODS).sort());
    for (const [name, def] of Object.entries(METHODS)) expect(def.scope, name).toBe(REQUIRED[name]);
  });

  const cases = Object.keys(REQUIRED).flatMap((method) => SCOPES.map((scope) => [method, scope] as const));
  it.each(cases)('%s with only %s', async (method, scope) => {
    const token = await h.token({ scopes: [scope] });
    const res = await h.rpc(method, (PARAMS[method] as () => unknown)(), { token });
    const required = REQUIRED[method];
    if (required === null || required === scope) {
      expect(res.statusCode).not.toBe(403);
      expect(res.json()).toHaveProperty('jsonrpc', '2.0');
    } else {
      expect(res.statusCode).toBe(403);
      expect(res.headers['www-authenticate']).toContain(`scope="${required}"`);
    }
    h.queue.take();
  });
});

describe('SendMessage outside the gateway edge (the router delegating for its caller)', () => {
  const ctxWith = (scopes: string[]): RequestContext => ({
    principal: { tenant: 'acme', subject: 'alice', scopes },
    requestId: 'r-delegation',
  });
  const send = (scopes: string[], agentId: string) =>
    sendMessage(
      h.deps.useCases,
      ctxWith(scopes),
      { agentId },
      { message: { ...userMessage('100 USD in EUR'), role: 'ROLE_USER' } },
      { protocol: '1.0', returnImmediately: true },
    );

  it("refuses an agent outside the caller's agent scopes, or a caller without tasks:submit", async () => {
    const before = h.queue.sent.length;
    await expect(send(['tasks:submit', 'agent:router'], 'currency')).rejects.toMatchObject({
      name: 'PermissionDeniedError',
      scope: 'agent:currency',
    });
    await expect(send(['agent:currency'], 'currency')).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(h.queue.sent.length).toBe(before);
  });

  it("stores the caller's principal with the task, for the worker that runs it later", async () => {
    const { record } = await send(['tasks:submit', 'agent:router', 'agent:currency'], 'currency');
    h.queue.take();
    const stored = await h.store.get(ctxWith([]), record.id);
    expect(stored?.submitter).toEqual({
      subject: 'alice',
      scopes: ['tasks:submit', 'agent:router', 'agent:currency'],
    });
    expect(JSON.stringify(toTask(stored as TaskRecord))).not.toContain('agent:router');
  });
});
