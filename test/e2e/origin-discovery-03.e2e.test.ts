/**
 * A pure A2A 0.3 client at the stack's origin: the official @a2a-js/sdk 0.3.14 (installed as
 * `a2a-sdk-v03`), which reads `/.well-known/agent-card.json` without an `A2A-Version` header,
 * takes `url` + `preferredTransport` from it and speaks 0.3 JSON-RPC (slash method names, `kind`
 * shapes). The root agent is the conformance agent (`defaultAgentId`), as a conformance run sets
 * it. 0.3 has no tasks/list; the 1.0 line covers ListTasks (streaming-compat-sdk.e2e.test.ts).
 */
import type { Message, Task, TaskStatusUpdateEvent } from 'a2a-sdk-v03';
import {
  type Client,
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from 'a2a-sdk-v03/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { testDataDir } from '../support/temp-dir';

let stack: LocalStack;
let client: Client;
const cardRequests: (string | null)[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `e2e-origin03-${Date.now()}` },
    dataDir: testDataDir('origin03'),
    logger: pino({ level: 'silent' }),
    resubscribeWaitMs: 1_500,
    pollWaitSeconds: 1,
    streaming: { heartbeatMs: 500, directReplyWaitMs: 500 },
    defaultAgentId: 'conformance',
  });
  const token = await stack.issuer.mint({
    tenant: 'e2e-origin03',
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'],
  });
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/.well-known/')) cardRequests.push(headers.get('a2a-version'));
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  client = await factory.createFromUrl(stack.url);
});
afterAll(() => stack?.stop());

const id = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;
const message = (prefix: string): Message => ({
  kind: 'message',
  messageId: id(prefix),
  role: 'user',
  parts: [{ kind: 'text', text: 'hello' }],
});
const asTask = (r: Task | Message): Task => {
  expect(r.kind).toBe('task');
  return r as Task;
};
async function working(): Promise<Task> {
  const task = asTask(
    await client.sendMessage({
      message: message('test-resubscribe-message-id'),
      configuration: { blocking: false },
    }),
  );
  for (let i = 0; i < 200; i++) {
    const t = await client.getTask({ id: task.id });
    if (t.status.state === 'working') return t;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the task did not start working');
}

describe('a 0.3 client that knows only the origin', () => {
  it('discovers the root agent from the header-less card and uses its 0.3 JSON-RPC url', async () => {
    const card = await client.getAgentCard();
    expect(cardRequests[0]).toBeNull();
    expect(card).toMatchObject({ protocolVersion: '0.3.0', preferredTransport: 'JSONRPC' });
    expect(card.url).toBe(`${stack.url}/agents/conformance`);
  });

  it('sends a blocking message and gets the completed task, then reads it back', async () => {
    const task = asTask(await client.sendMessage({ message: message('tck-artifact-text') }));
    expect(task.status.state).toBe('completed');
    expect(task.artifacts?.[0]?.parts[0]).toMatchObject({ kind: 'text', text: 'Generated text content' });
    const got = await client.getTask({ id: task.id });
    expect(got).toMatchObject({ kind: 'task', id: task.id, status: { state: 'completed' } });
  });

  it('streams a task to its end and resubscribes to a running one', async () => {
    const events: string[] = [];
    for await (const e of client.sendMessageStream({ message: message('tck-stream-artifact-chunked') })) {
      events.push(e.kind);
    }
    expect(events[0]).toBe('task');
    expect(events).toContain('artifact-update');
    const running = await working();
    let last: TaskStatusUpdateEvent | undefined;
    for await (const e of client.resubscribeTask({ id: running.id }))
      if (e.kind === 'status-update') last = e;
    expect(last?.status.state).toBe('completed');
  });

  it('cancels a running task', async () => {
    const running = await working();
    const canceled = await client.cancelTask({ id: running.id });
    expect(canceled.status.state).toBe('canceled');
  });

  it('sets, gets, lists and deletes a push notification config', async () => {
    const task = asTask(await client.sendMessage({ message: message('tck-complete-task') }));
    const config = { id: id('cfg'), url: 'http://127.0.0.1:9/hooks/a2a', token: 'tok-1' };
    const set = await client.setTaskPushNotificationConfig({
      taskId: task.id,
      pushNotificationConfig: config,
    });
    expect(set).toMatchObject({
      taskId: task.id,
      pushNotificationConfig: { id: config.id, url: config.url },
    });
    // The 0.3 Client's type says TaskIdParams; its JSON-RPC transport sends the params as given.
    const ref = { id: task.id, pushNotificationConfigId: config.id };
    const got = await client.getTaskPushNotificationConfig(ref as { id: string });
    expect(got.pushNotificationConfig.url).toBe(config.url);
    const listed = await client.listTaskPushNotificationConfig({ id: task.id });
    expect(listed.map((c) => c.pushNotificationConfig.id)).toEqual([config.id]);
    await client.deleteTaskPushNotificationConfig({ id: task.id, pushNotificationConfigId: config.id });
    expect(await client.listTaskPushNotificationConfig({ id: task.id })).toEqual([]);
  });
});
