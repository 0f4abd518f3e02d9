/**
 * A new task's SendMessage does not look its message up before the create: the create's write is
 * conditional on the idempotency record and returns a retry's task itself (one DynamoDB GetItem
 * less per task). A retried message still gets the task it created, also at the queued-work cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../../adapters/memory/memory-task-store';
import { InvalidParamsError } from '../../../core/errors';
import { sendMessage } from '../../../core/use-cases/send-message';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

const lookups: string[] = [];
const store = new Proxy(new MemoryTaskStore(), {
  get(target, prop, receiver) {
    const value = Reflect.get(target, prop, receiver);
    if (prop !== 'findByMessageId' || typeof value !== 'function') return value;
    return (...args: unknown[]) => {
      lookups.push(String(args[1]));
      return value.apply(target, args);
    };
  },
});

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await gatewayHarness({ maxQueuedTasksPerTenant: 2 }, { store });
  token = await h.token({ tenant: 'acme' });
});
afterAll(() => h.close());

const send = (message = userMessage('hello')) =>
  h.rpc('SendMessage', { message, configuration: { returnImmediately: true } }, { token });

describe('SendMessage of a new task', () => {
  it('creates without a lookup, and a retry gets the same task from the create', async () => {
    const message = userMessage('once');
    const first = await send(message);
    expect(first.statusCode).toBe(200);
    expect(lookups).toEqual([]);
    const again = await send(message);
    expect(again.json().result.task.id).toBe(first.json().result.task.id);
    expect(store.size).toBe(1);
  });

  it('returns a retry its task at the queued-work cap, and refuses new work there', async () => {
    const message = userMessage('second');
    const id = (await send(message)).json().result.task.id;
    // two tasks queued: the tenant is at its cap
    expect((await send()).statusCode).toBe(429);
    const retried = await send(message);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().result.task.id).toBe(id);
    expect(store.size).toBe(2);
  });

  it('returns a retry its task when the webhook URL policy refuses its push config today', async () => {
    const caller = {
      principal: { tenant: 'umbrella', subject: 'alice', scopes: ['tasks:submit', 'webhooks:manage'] },
      requestId: 'r-retry',
    };
    const scope = { agentId: h.deps.useCases.agents.defaultId };
    const params = (text: string) => ({
      message: { ...userMessage(text), role: 'ROLE_USER' as const },
      configuration: { taskPushNotificationConfig: { url: 'https://hooks.example.com/a2a' } },
    });
    const once = params('with a webhook');
    const options = { protocol: '1.0' as const, returnImmediately: true };
    const first = await sendMessage(h.deps.useCases, caller, scope, once, options);
    const refusing = {
      ...h.deps.useCases,
      webhookUrls: {
        assertAllowed: async () => {
          throw new InvalidParamsError('webhook host refused');
        },
      },
    };
    expect((await sendMessage(refusing, caller, scope, once, options)).record.id).toBe(first.record.id);
    // new work with that config is refused
    await expect(sendMessage(refusing, caller, scope, params('new'), options)).rejects.toBeInstanceOf(
      InvalidParamsError,
    );
  });
});
