/**
 * Multi-turn and cancel through a remote agent: INPUT_REQUIRED comes back to the client, the
 * client's follow-up goes to the same remote task, a new task in the same context reuses the
 * remote context, and CancelTask on the local task cancels the remote one (running, or waiting
 * for input with no run holding it). Both transports.
 */
import { type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { sdkMessage, sendParams } from '../support/a2a-sdk-client';
import { type RemoteAgentServer, startRemoteAgent } from '../support/remote-a2a-agent';
import { isFinal, type RemoteStack, startRemoteStack, textOf } from '../support/remote-stack';

let streaming: RemoteAgentServer;
let polled: RemoteAgentServer;
let rs: RemoteStack;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  streaming = await startRemoteAgent({ streaming: true });
  polled = await startRemoteAgent({ streaming: false });
  // on DynamoDB Local: the remote binding and the context lookup go through the real store
  rs = await startRemoteStack(
    [
      { id: 'weather', cardUrl: streaming.cardUrl },
      { id: 'weather-poll', cardUrl: polled.cardUrl },
    ],
    { store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `remote-turns-${Date.now()}` } },
  );
  clients.weather = await rs.client('weather');
  clients['weather-poll'] = await rs.client('weather-poll');
});
afterAll(async () => {
  await rs?.stop();
  await Promise.all([streaming?.close(), polled?.close()]);
});

const asTask = (r: unknown): Task => {
  expect(r).toHaveProperty('status');
  return r as Task;
};
const bindingOf = (t: Task) => rs.binding(t.id);

describe.each([
  ['weather', () => streaming],
  ['weather-poll', () => polled],
])('the remote agent %s', (agentId, remote) => {
  const client = () => clients[agentId] as Client;

  it("passes the remote's question to the client and the client's answer to the same remote task", async () => {
    const asked = asTask(await client().sendMessage(sendParams(sdkMessage('I need a forecast'))));
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(textOf(asked.status?.message?.parts)).toBe('Which city?');
    const remoteTaskId = (await bindingOf(asked))?.taskId ?? '';

    const reply = sdkMessage('Madrid', { taskId: asked.id, contextId: asked.contextId });
    const done = asTask(await client().sendMessage(sendParams(reply)));
    expect(done.id).toBe(asked.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(done.artifacts[0]?.parts)).toBe('The weather in Madrid is sunny.');
    expect((await bindingOf(done))?.taskId).toBe(remoteTaskId);
    expect(remote().received.get(remoteTaskId)).toEqual(['I need a forecast', 'Madrid']);
  });

  it('keeps the remote context for a new task in the same local context', async () => {
    const first = asTask(await client().sendMessage(sendParams(sdkMessage('weather in Bern'))));
    const second = asTask(
      await client().sendMessage(sendParams(sdkMessage('weather in Basel', { contextId: first.contextId }))),
    );
    expect(second.contextId).toBe(first.contextId);
    const [b1, b2] = [await bindingOf(first), await bindingOf(second)];
    expect(b2?.taskId).not.toBe(b1?.taskId);
    expect(b2?.contextId).toBe(b1?.contextId);
  });

  it('cancels the remote task when the client cancels the local one', async () => {
    const running = asTask(await client().sendMessage(sendParams(sdkMessage('slow weather in Nice'), true)));
    let remoteTaskId: string | undefined;
    for (let i = 0; i < 200 && remoteTaskId === undefined; i++) {
      remoteTaskId = (await bindingOf(running))?.taskId;
      if (remoteTaskId === undefined) await new Promise((r) => setTimeout(r, 25));
    }
    await client().cancelTask({ tenant: '', id: running.id, metadata: undefined });
    const ended = await rs.until(client(), running.id, isFinal);
    expect(ended.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(remote().canceled).toContain(remoteTaskId);
    expect(JSON.stringify(ended)).not.toContain('a2a-gateway/');
  });

  it('cancels the remote task when the client cancels while it waits for input', async () => {
    const asked = asTask(await client().sendMessage(sendParams(sdkMessage('a forecast, please'))));
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const remoteTaskId = (await bindingOf(asked))?.taskId ?? '';
    expect(remoteTaskId).not.toBe('');
    const canceled = await client().cancelTask({ tenant: '', id: asked.id, metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await vi.waitFor(() => expect(remote().canceled).toContain(remoteTaskId), { timeout: 5_000 });
    // the worker that forwarded the cancel wrote nothing more to the local task
    const after = asTask(await client().getTask({ tenant: '', id: asked.id, historyLength: undefined }));
    expect(after.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });
});
