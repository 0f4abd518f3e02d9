/**
 * The HTTP+JSON binding end to end: the local stack (gateway, in-process workers, push delivery,
 * DynamoDB Local) driven over real HTTP by the official @a2a-js/sdk client with its REST
 * transport, which picks the binding from the agent card. Every operation, streaming with
 * Last-Event-ID replay, an input-required follow-up, cancel, push configs with a delivery to a
 * loopback webhook, and the 401/403/404 answers.
 */
import { type StreamResponse, type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { TaskNotCancelableError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { sdkMessage, sdkRestClient, sendParams } from '../support/a2a-sdk-client';
import { testDataDir } from '../support/temp-dir';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

let stack: LocalStack;
let token: string;
let echo: Client;
let conformance: Client;
let hook: Receiver;
/** `METHOD /path?query` of every call the REST clients made */
const calls: string[] = [];
const recording =
  (f: typeof fetch): typeof fetch =>
  (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    return f(input, init);
  };

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `rest-${Date.now()}` },
    dataDir: testDataDir('rest'),
    logger: pino({ level: 'silent' }),
    resubscribeWaitMs: 500,
    pollWaitSeconds: 1,
    push: { maxAttempts: 3, backoff: { baseSeconds: 1, maxSeconds: 1 }, timeoutMs: 1000, pollWaitSeconds: 1 },
  });
  token = await stack.issuer.mint({
    tenant: 'rest',
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'],
  });
  echo = await sdkRestClient(stack.url, 'echo', token, recording);
  conformance = await sdkRestClient(stack.url, 'conformance', token, recording);
  hook = await startReceiver();
});
afterAll(async () => {
  await stack?.stop();
  await hook?.close();
});

const asTask = (r: unknown): Task => {
  expect(r).toHaveProperty('status');
  return r as Task;
};
const textOf = (t: Task): string | undefined => {
  const c = t.status?.message?.parts[0]?.content;
  return c?.$case === 'text' ? c.value : undefined;
};
async function collect(stream: AsyncIterable<StreamResponse>): Promise<StreamResponse[]> {
  const out: StreamResponse[] = [];
  for await (const e of stream) out.push(e);
  return out;
}
const kinds = (events: StreamResponse[]) => events.map((e) => e.payload?.$case);
/** An open conformance task: it waits in INPUT_REQUIRED for a follow-up, a cancel or a push config. */
async function waitingTask(): Promise<Task> {
  const msg = sdkMessage('wait for me', {
    messageId: `tck-input-required-${Math.random().toString(36).slice(2)}`,
  });
  const task = asTask(await conformance.sendMessage(sendParams(msg)));
  expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
  return task;
}

describe('the HTTP+JSON binding through the @a2a-js/sdk REST client', () => {
  it('picks the HTTP+JSON interface from the card', () => {
    expect(echo.transport.protocolName).toBe('HTTP+JSON');
    expect(conformance.transport.protocolName).toBe('HTTP+JSON');
  });

  it('sends a blocking message to /message:send and gets the completed task', async () => {
    const task = asTask(await echo.sendMessage(sendParams(sdkMessage('hello rest'))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'hello rest' });
    expect(calls).toContain('POST /agents/echo/message:send');
  });

  it('returns at once with returnImmediately; GET /tasks/{id} honours historyLength', async () => {
    const queued = asTask(await echo.sendMessage(sendParams(sdkMessage('later'), true)));
    await expect
      .poll(
        async () =>
          (await echo.getTask({ tenant: '', id: queued.id, historyLength: undefined })).status?.state,
      )
      .toBe(TaskState.TASK_STATE_COMPLETED);
    const full = await echo.getTask({ tenant: '', id: queued.id, historyLength: undefined });
    const one = await echo.getTask({ tenant: '', id: queued.id, historyLength: 1 });
    expect(full.history.length).toBe(2);
    expect(one.history.length).toBe(1);
    expect(calls).toContain(`GET /agents/echo/tasks/${queued.id}?historyLength=1`);
  });

  it('lists tasks with filters and a page token as query parameters', async () => {
    const page = (pageToken: string) =>
      echo.listTasks({
        tenant: '',
        contextId: '',
        status: TaskState.TASK_STATE_COMPLETED,
        pageSize: 1,
        pageToken,
        historyLength: undefined,
        statusTimestampAfter: undefined,
        includeArtifacts: false,
      });
    const first = await page('');
    expect(first.tasks.length).toBe(1);
    expect(first.nextPageToken).not.toBe('');
    const second = await page(first.nextPageToken);
    expect(second.tasks.length).toBe(1);
    expect(second.tasks[0]?.id).not.toBe(first.tasks[0]?.id);
    const all = [...first.tasks, ...second.tasks];
    expect(all.every((t) => t.status?.state === TaskState.TASK_STATE_COMPLETED)).toBe(true);
    const listCalls = calls.filter((c) => c.startsWith('GET /agents/echo/tasks?'));
    expect(listCalls.some((c) => c.includes('status=TASK_STATE_COMPLETED') && c.includes('pageSize=1'))).toBe(
      true,
    );
    expect(listCalls.some((c) => c.includes('pageToken='))).toBe(true);
  });

  it('streams a message over POST /message:stream: the task, then its updates to COMPLETED', async () => {
    const events = await collect(echo.sendMessageStream(sendParams(sdkMessage('stream me'))));
    expect(kinds(events)[0]).toBe('task');
    const last = events.at(-1)?.payload;
    expect(last?.$case).toBe('statusUpdate');
    if (last?.$case === 'statusUpdate') expect(last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(kinds(events)).toContain('artifactUpdate');
    expect(calls).toContain('POST /agents/echo/message:stream');
  });

  it('resubscribes over POST /tasks/{id}:subscribe, and replays after Last-Event-ID', async () => {
    const task = await waitingTask();
    const fresh = await collect(conformance.resubscribeTask({ tenant: '', id: task.id }));
    expect(kinds(fresh)).toEqual(['task']);
    const replay = await collect(
      conformance.resubscribeTask(
        { tenant: '', id: task.id },
        { serviceParameters: { 'Last-Event-ID': '1' } },
      ),
    );
    // events after seq 1 (the submitted task): WORKING, then INPUT_REQUIRED, where the stream ends
    expect(kinds(replay)).toEqual(['statusUpdate', 'statusUpdate']);
    const states = replay.map((e) =>
      e.payload?.$case === 'statusUpdate' ? e.payload.value.status?.state : undefined,
    );
    expect(states).toEqual([TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_INPUT_REQUIRED]);
    expect(calls).toContain(`POST /agents/conformance/tasks/${task.id}:subscribe`);
  });

  it('continues an input-required task with a follow-up message', async () => {
    const task = await waitingTask();
    const more = sdkMessage('more input', { taskId: task.id, contextId: task.contextId });
    const next = asTask(await conformance.sendMessage(sendParams(more)));
    expect(next.id).toBe(task.id);
    expect(next.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(textOf(next)).toBe('Echo: more input');
  });

  it('cancels a waiting task over POST /tasks/{id}:cancel; a finished one is not cancelable (400)', async () => {
    const task = await waitingTask();
    const canceled = await conformance.cancelTask({ tenant: '', id: task.id, metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(calls).toContain(`POST /agents/conformance/tasks/${task.id}:cancel`);
    const done = asTask(await echo.sendMessage(sendParams(sdkMessage('finished'))));
    const refused = echo.cancelTask({ tenant: '', id: done.id, metadata: undefined });
    await expect(refused).rejects.toBeInstanceOf(TaskNotCancelableError);
    await expect(refused).rejects.toMatchObject({ statusCode: 400 });
  });

  it('creates, reads, lists and deletes push configs, and delivers to the webhook', async () => {
    const task = await waitingTask();
    const created = await conformance.createTaskPushNotificationConfig({
      tenant: '',
      id: '',
      taskId: task.id,
      url: `${hook.origin}/hook`,
      token: 'rest-token',
      authentication: undefined,
    });
    expect(created.id).not.toBe('');
    expect(calls).toContain(`POST /agents/conformance/tasks/${task.id}/pushNotificationConfigs`);
    const ref = { tenant: '', taskId: task.id, id: created.id };
    expect((await conformance.getTaskPushNotificationConfig(ref)).url).toBe(`${hook.origin}/hook`);
    const listed = await conformance.listTaskPushNotificationConfig({
      tenant: '',
      taskId: task.id,
      pageSize: 0,
      pageToken: '',
    });
    expect(listed.configs.map((c) => c.id)).toEqual([created.id]);

    // a follow-up makes new events: they reach the webhook, with the config's token
    await conformance.sendMessage(
      sendParams(sdkMessage('ping', { taskId: task.id, contextId: task.contextId })),
    );
    await expect
      .poll(() => hook.requests.some((r) => r.body.toString().includes(task.id)), { timeout: 15_000 })
      .toBe(true);
    const delivered = hook.requests.find((r) => r.body.toString().includes(task.id));
    expect(delivered?.headers['x-a2a-notification-token']).toBe('rest-token');

    await conformance.deleteTaskPushNotificationConfig(ref);
    expect(calls).toContain(
      `DELETE /agents/conformance/tasks/${task.id}/pushNotificationConfigs/${created.id}`,
    );
    await expect(conformance.getTaskPushNotificationConfig(ref)).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('answers 401 without a token, 403 without the scope, 404 for an unknown or foreign task', async () => {
    const bare = await fetch(`${stack.url}/agents/echo/tasks`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer realm="a2a"');

    const readOnly = await sdkRestClient(
      stack.url,
      'echo',
      await stack.issuer.mint({ tenant: 'rest', scopes: ['tasks:read'] }),
    );
    await expect(readOnly.sendMessage(sendParams(sdkMessage('no scope')))).rejects.toMatchObject({
      statusCode: 403,
    });

    const unknown = echo.getTask({ tenant: '', id: 'no-such-task', historyLength: undefined });
    await expect(unknown).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(unknown).rejects.toMatchObject({ statusCode: 404 });

    const mine = asTask(await echo.sendMessage(sendParams(sdkMessage('mine'))));
    const other = await sdkRestClient(
      stack.url,
      'echo',
      await stack.issuer.mint({ tenant: 'someone-else', scopes: ['tasks:read', 'tasks:cancel'] }),
    );
    await expect(other.getTask({ tenant: '', id: mine.id, historyLength: undefined })).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
    await expect(other.cancelTask({ tenant: '', id: mine.id, metadata: undefined })).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
  });
});
