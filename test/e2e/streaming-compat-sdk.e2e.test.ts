/**
 * Streaming and A2A 0.3 on the local stack (DynamoDB Local store, in-process queue, workers),
 * driven by the official @a2a-js/sdk client in 1.0 mode and in its 0.3 legacy-compat mode,
 * plus raw SSE for Last-Event-ID resumption on a second gateway instance.
 */
import { type StreamResponse, type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import {
  sdkClient,
  sdkLegacyClient,
  sdkMessage,
  sdkOriginClient,
  sendParams,
} from '../support/a2a-sdk-client';
import { secondGateway } from '../support/second-gateway';
import { readSse, type SseEvent } from '../support/sse';
import { testDataDir } from '../support/temp-dir';

let stack: LocalStack;
let token: string;
let v1: Client;
let v03: Client;
let origin: Client;
let other: FastifyInstance;
let otherUrl: string;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `e2e-stream-${Date.now()}` },
    dataDir: testDataDir('stream'),
    logger: pino({ level: 'silent' }),
    resubscribeWaitMs: 1_500,
    pollWaitSeconds: 1,
    streaming: { heartbeatMs: 500, directReplyWaitMs: 500 },
    defaultAgentId: 'conformance',
  });
  token = await stack.issuer.mint({
    tenant: 'e2e-stream',
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'],
  });
  v1 = await sdkClient(stack.url, 'conformance', token);
  v03 = await sdkLegacyClient(stack.url, 'conformance', token);
  origin = await sdkOriginClient(stack.url, token);
  ({ app: other, url: otherUrl } = await secondGateway(stack));
});
afterAll(async () => {
  await other?.close();
  await stack?.stop();
});

/**
 * Each protocol version through the agent's URL, and 1.0 through the origin with card discovery
 * without A2A-Version (a pure 0.3 client at the origin: test/e2e/origin-discovery-03.e2e.test.ts).
 */
const VERSIONS = ['1.0', '0.3', 'origin 1.0'] as const;
/** The client of a protocol version (looked up when a test runs, after beforeAll). */
const clientFor = (version: (typeof VERSIONS)[number]): Client =>
  ({ '1.0': v1, '0.3': v03, 'origin 1.0': origin })[version];
const id = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;
const cases = (events: StreamResponse[]) => events.map((e) => e.payload?.$case);
async function collect(stream: AsyncGenerator<StreamResponse>): Promise<StreamResponse[]> {
  const out: StreamResponse[] = [];
  for await (const e of stream) out.push(e);
  return out;
}
const lastState = (events: StreamResponse[]) => {
  const last = events.at(-1)?.payload;
  return last?.$case === 'statusUpdate' ? last.value.status?.state : undefined;
};
const asTask = (r: unknown): Task => {
  expect(r).toHaveProperty('status');
  return r as Task;
};
async function startWorking(client: Client): Promise<Task> {
  const task = asTask(
    await client.sendMessage(
      sendParams(sdkMessage('wait', { messageId: id('test-resubscribe-message-id') }), true),
    ),
  );
  for (let i = 0; i < 200; i++) {
    const t = await client.getTask({ tenant: '', id: task.id, historyLength: undefined });
    if (t.status?.state === TaskState.TASK_STATE_WORKING) return t;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the task did not start working');
}

describe('the SDK in 1.0 and 0.3 mode', () => {
  it('picks the 1.0 transport from the v1.0 card and the 0.3 transport from the 0.3 card, both streaming', async () => {
    expect(v1.protocolVersion).toBe('1.0');
    expect(v03.protocolVersion).toBe('0.3');
    expect(origin.protocolVersion).toBe('1.0');
    expect((await origin.getAgentCard()).name).toBe((await v1.getAgentCard()).name);
    expect((await v1.getAgentCard()).capabilities?.streaming).toBe(true);
    expect((await v03.getAgentCard()).capabilities?.streaming).toBe(true);
  });

  it.each(VERSIONS)(
    '%s: sends a blocking message and gets the completed task with its artifact',
    async (version) => {
      const client = clientFor(version);
      const task = asTask(
        await client.sendMessage(sendParams(sdkMessage('x', { messageId: id('tck-artifact-text') }))),
      );
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(task.artifacts[0]?.parts[0]?.content).toEqual({
        $case: 'text',
        value: 'Generated text content',
      });
    },
  );

  it.each(VERSIONS)('%s: streams working, chunked artifact and completed, in order', async (version) => {
    const client = clientFor(version);
    const events = await collect(
      client.sendMessageStream(sendParams(sdkMessage('x', { messageId: id('tck-stream-artifact-chunked') }))),
    );
    expect(cases(events)).toEqual([
      'task',
      'statusUpdate',
      'statusUpdate',
      'artifactUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    const chunks = events.flatMap((e) => (e.payload?.$case === 'artifactUpdate' ? [e.payload.value] : []));
    expect(chunks.map((c) => [c.append, c.lastChunk])).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(lastState(events)).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it.each(VERSIONS)('%s: streams a direct reply as one message', async (version) => {
    const client = clientFor(version);
    const events = await collect(
      client.sendMessageStream(sendParams(sdkMessage('x', { messageId: id('tck-message-response') }))),
    );
    expect(cases(events)).toEqual(['message']);
  });

  it.each(VERSIONS)('%s: gets, resubscribes to and cancels tasks', async (version) => {
    const client = clientFor(version);
    const running = await startWorking(client);
    const events = await collect(client.resubscribeTask({ tenant: '', id: running.id }));
    expect(cases(events)[0]).toBe('task');
    expect(lastState(events)).toBe(TaskState.TASK_STATE_COMPLETED);
    const got = await client.getTask({ tenant: '', id: running.id, historyLength: undefined });
    expect(got.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const toCancel = await startWorking(client);
    const canceled = await client.cancelTask({ tenant: '', id: toCancel.id, metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it.each(VERSIONS)('%s: creates, gets, lists and deletes push notification configs', async (version) => {
    const client = clientFor(version);
    const task = asTask(
      await client.sendMessage(sendParams(sdkMessage('x', { messageId: id('tck-complete-task') }))),
    );
    const config = {
      tenant: '',
      id: id('cfg'),
      taskId: task.id,
      url: 'http://127.0.0.1:9/hooks/a2a',
      token: '',
      authentication: { scheme: 'Bearer', credentials: 'webhook-secret' },
    };
    const created = await client.createTaskPushNotificationConfig(config);
    expect(created).toMatchObject({ id: config.id, taskId: task.id, url: config.url });
    expect(created.authentication).toMatchObject({ scheme: 'Bearer', credentials: 'webhook-secret' });
    const ref = { tenant: '', taskId: task.id, id: config.id };
    expect(await client.getTaskPushNotificationConfig(ref)).toMatchObject({ id: config.id, url: config.url });
    const listed = await client.listTaskPushNotificationConfig({
      tenant: '',
      taskId: task.id,
      pageSize: 0,
      pageToken: '',
    });
    expect(listed.configs.map((c) => c.id)).toEqual([config.id]);
    await client.deleteTaskPushNotificationConfig(ref);
    await client.deleteTaskPushNotificationConfig(ref);
    await expect(client.getTaskPushNotificationConfig(ref)).rejects.toThrow(/not found/i);
  });

  it.each(['1.0', 'origin 1.0'] as const)('%s: lists tasks with the one just sent', async (version) => {
    const client = clientFor(version);
    const task = asTask(
      await client.sendMessage(sendParams(sdkMessage('x', { messageId: id('tck-complete-task') }))),
    );
    const listed = await client.listTasks({
      tenant: '',
      contextId: '',
      status: TaskState.TASK_STATE_UNSPECIFIED,
      pageSize: 5,
      pageToken: '',
      historyLength: undefined,
      statusTimestampAfter: undefined,
      includeArtifacts: false,
    });
    expect(listed.tasks.map((t) => t.id)).toContain(task.id);
  });

  it('returns equivalent data for the same task over 0.3 and 1.0', async () => {
    const done = asTask(
      await v1.sendMessage(sendParams(sdkMessage('same', { messageId: id('tck-artifact-text') }))),
    );
    const viaV1 = await v1.getTask({ tenant: '', id: done.id, historyLength: undefined });
    const viaV03 = await v03.getTask({ tenant: '', id: done.id, historyLength: undefined });
    expect(viaV03).toEqual(viaV1);
  });

  it('gives concurrent subscribers the same events from the moment each joined', async () => {
    const running = await startWorking(v1);
    const [a, b, legacy] = await Promise.all([
      collect(v1.resubscribeTask({ tenant: '', id: running.id })),
      collect(v1.resubscribeTask({ tenant: '', id: running.id })),
      collect(v03.resubscribeTask({ tenant: '', id: running.id })),
    ]);
    // Each stream starts with the task as it was when that subscriber joined; the working agent
    // may commit an update between two joins, so the later subscriber's events after its snapshot
    // are the tail of the earlier one's: the same events, in the same order.
    const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
    expect(shorter[0]?.payload?.$case).toBe('task');
    expect(longer.slice(longer.length - (shorter.length - 1))).toEqual(shorter.slice(1));
    const all = [a, b, legacy].sort((x, y) => y.length - x.length)[0] ?? [];
    expect(cases(legacy)[0]).toBe('task');
    expect(cases(all).slice(all.length - (legacy.length - 1))).toEqual(cases(legacy).slice(1));
    expect(lastState(a)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(lastState(b)).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});

describe('resuming with Last-Event-ID', () => {
  async function open(url: string, taskId: string, lastEventId?: string, signal?: AbortSignal) {
    return fetch(`${url}/agents/conformance`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'a2a-version': '1.0',
        authorization: `Bearer ${token}`,
        ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'sub', method: 'SubscribeToTask', params: { id: taskId } }),
      ...(signal ? { signal } : {}),
    });
  }
  async function events(res: Response, stopAfter = Number.POSITIVE_INFINITY): Promise<SseEvent[]> {
    const out: SseEvent[] = [];
    for await (const item of readSse(res)) {
      if (item.kind === 'event') out.push(item.event);
      if (out.length >= stopAfter) break;
    }
    return out;
  }

  it('continues a stream dropped mid-task on another gateway instance: the full sequence, in order, once', async () => {
    const running = await startWorking(v1);
    const drop = new AbortController();
    const first = await events(await open(stack.url, running.id, undefined, drop.signal), 2);
    drop.abort();
    const lastId = first.at(-1)?.id as string;
    const rest = await events(await open(otherUrl, running.id, lastId));
    const all = [...first, ...rest];
    const ids = all.map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i));
    expect(JSON.parse(all.at(-1)?.data ?? '{}').result.statusUpdate.status.state).toBe(
      'TASK_STATE_COMPLETED',
    );
    // The same range replayed from the log in one go is identical.
    const replay = await events(await open(otherUrl, running.id, first[0]?.id));
    expect(replay).toEqual(all.slice(1));
  });
});
