/**
 * The local stack (gateway + in-process queue + workers, DynamoDB Local store) driven by the
 * official @a2a-js/sdk client over real HTTP.
 */
import { type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { sdkClient, sdkMessage, sendParams } from '../support/a2a-sdk-client';
import { testDataDir } from '../support/temp-dir';

let stack: LocalStack;
let conformance: Client;
let echo: Client;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `e2e-${Date.now()}` },
    dataDir: testDataDir('e2e'),
    logger: pino({ level: 'silent' }),
    resubscribeWaitMs: 500,
    pollWaitSeconds: 1,
  });
  const token = await stack.issuer.mint({
    tenant: 'e2e',
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel'],
  });
  conformance = await sdkClient(stack.url, 'conformance', token);
  echo = await sdkClient(stack.url, 'echo', token);
});
afterAll(() => stack?.stop());

const asTask = (r: unknown): Task => {
  expect(r).toHaveProperty('status');
  return r as Task;
};

describe('the local stack through the @a2a-js/sdk client', () => {
  it('reads the agent card the client resolved', async () => {
    const card = await echo.getAgentCard();
    expect(card.name).toBe('Echo');
    expect(card.supportedInterfaces[0]?.protocolVersion).toBe('1.0');
  });

  it('sends a blocking message and gets the completed task with its artifact', async () => {
    const task = asTask(await echo.sendMessage(sendParams(sdkMessage('hello gateway'))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const part = task.artifacts[0]?.parts[0]?.content;
    expect(part).toEqual({ $case: 'text', value: 'hello gateway' });
  });

  it('returns at once with returnImmediately, then the task completes and can be read back', async () => {
    const queued = asTask(await echo.sendMessage(sendParams(sdkMessage('later'), true)));
    expect([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING]).toContain(queued.status?.state);
    let got = queued;
    for (let i = 0; i < 100 && got.status?.state !== TaskState.TASK_STATE_COMPLETED; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await echo.getTask({ tenant: '', id: queued.id, historyLength: undefined });
    }
    expect(got.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(got.id).toBe(queued.id);
  });

  it("lists the caller's tasks, newest first", async () => {
    const listed = await echo.listTasks({
      tenant: '',
      contextId: '',
      status: TaskState.TASK_STATE_UNSPECIFIED,
      pageSize: 10,
      pageToken: '',
      historyLength: undefined,
      statusTimestampAfter: undefined,
      includeArtifacts: false,
    });
    expect(listed.tasks.length).toBeGreaterThanOrEqual(2);
    const stamps = listed.tasks.map((t) => Date.parse(String(t.status?.timestamp)));
    expect([...stamps].sort((a, b) => b - a)).toEqual(stamps);
  });

  it('continues an INPUT_REQUIRED task with a follow-up on the same task id', async () => {
    const asked = asTask(
      await conformance.sendMessage(
        sendParams(sdkMessage('start', { messageId: `tck-input-required-${Date.now()}` })),
      ),
    );
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const reply = sdkMessage('here you go', {
      messageId: `tck-complete-task-${Date.now()}`,
      taskId: asked.id,
      contextId: asked.contextId,
    });
    const done = asTask(await conformance.sendMessage(sendParams(reply)));
    expect(done.id).toBe(asked.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('cancels a running task', async () => {
    const running = asTask(
      await conformance.sendMessage(
        sendParams(sdkMessage('wait', { messageId: `test-resubscribe-message-id-${Date.now()}` }), true),
      ),
    );
    for (let i = 0; i < 100; i++) {
      const t = await conformance.getTask({ tenant: '', id: running.id, historyLength: undefined });
      if (t.status?.state === TaskState.TASK_STATE_WORKING) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const canceled = await conformance.cancelTask({ tenant: '', id: running.id, metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("maps a foreign task to the SDK's TaskNotFound error", async () => {
    const other = await sdkClient(
      stack.url,
      'echo',
      await stack.issuer.mint({ tenant: 'other', scopes: ['tasks:read'] }),
    );
    const mine = asTask(await echo.sendMessage(sendParams(sdkMessage('private'))));
    await expect(other.getTask({ tenant: '', id: mine.id, historyLength: undefined })).rejects.toThrow(
      /not found/i,
    );
  });
});
