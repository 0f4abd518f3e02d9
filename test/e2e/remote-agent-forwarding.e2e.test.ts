/**
 * Remote A2A agents behind the gateway: real @a2a-js/sdk servers on loopback as the remote agents,
 * the local stack in front, and the @a2a-js/sdk client driving the gateway. Send, stream, poll
 * and push all go through the forwarding worker.
 */
import { SendMessageRequest, type StreamResponse, type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkMessage, sendParams } from '../support/a2a-sdk-client';
import { type RemoteAgentServer, startRemoteAgent } from '../support/remote-a2a-agent';
import { type RemoteStack, startRemoteStack, textOf } from '../support/remote-stack';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

let streaming: RemoteAgentServer;
let polled: RemoteAgentServer;
let rs: RemoteStack;
let weather: Client;
let weatherPoll: Client;
let receiver: Receiver;

beforeAll(async () => {
  streaming = await startRemoteAgent({ streaming: true, bearer: 'weather-secret-token' });
  polled = await startRemoteAgent({ streaming: false, name: 'Polled Weather' });
  receiver = await startReceiver();
  rs = await startRemoteStack(
    [
      { id: 'weather', cardUrl: streaming.cardUrl, auth: { type: 'bearer', secretId: 'weather-token' } },
      { id: 'weather-poll', cardUrl: polled.cardUrl },
    ],
    { secrets: { 'weather-token': 'weather-secret-token' } },
  );
  weather = await rs.client('weather');
  weatherPoll = await rs.client('weather-poll');
});
afterAll(async () => {
  await rs?.stop();
  await Promise.all([streaming?.close(), polled?.close(), receiver?.close()]);
});

const asTask = (r: unknown): Task => {
  expect(r).toHaveProperty('status');
  return r as Task;
};
const bindingOf = (taskId: string) => rs.binding(taskId);

describe('a remote A2A agent behind the gateway', () => {
  it("serves the remote agent's skills on a card with the gateway's URL and security", async () => {
    const res = await fetch(`${rs.stack.url}/agents/weather/.well-known/agent-card.json`);
    const card = (await res.json()) as Record<string, unknown> & { skills: { id: string }[] };
    expect(card.name).toBe('Weather Agent');
    expect(card.skills.map((s) => s.id)).toEqual(['weather']);
    expect(card.supportedInterfaces).toEqual([
      { url: `${rs.stack.url}/agents/weather`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url: `${rs.stack.url}/agents/weather`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
      { url: `${rs.stack.url}/agents/weather`, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
    ]);
    expect(Object.keys(card.securitySchemes as object)).toContain('bearer');
    expect(JSON.stringify(card)).not.toContain(streaming.origin);
  });

  it('forwards a blocking send to a streaming remote with its bearer token and returns the completed task', async () => {
    const task = asTask(await weather.sendMessage(sendParams(sdkMessage('What is the weather in Paris?'))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.artifacts).toHaveLength(1);
    expect(textOf(task.artifacts[0]?.parts)).toBe('The weather in Paris is sunny.');
    expect(textOf(task.status?.message?.parts)).toBe('Reported the weather in Paris.');
    const binding = await bindingOf(task.id);
    expect(streaming.received.get(binding?.taskId ?? '')).toEqual(['What is the weather in Paris?']);
    const streamed = streaming.calls.filter((c) => c.method === 'SendStreamingMessage');
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.every((c) => c.authorization === 'Bearer weather-secret-token')).toBe(true);
  });

  it('streams the remote events to an SSE client in order: working, both chunks, completed', async () => {
    const events: StreamResponse[] = [];
    for await (const e of weather.sendMessageStream(sendParams(sdkMessage('weather in Oslo please'))))
      events.push(e);
    const shape = events.map((e) => {
      const p = e.payload;
      if (p?.$case === 'statusUpdate') return `status ${TaskState[p.value.status?.state ?? 0]}`;
      if (p?.$case === 'artifactUpdate')
        return `chunk "${textOf(p.value.artifact?.parts)}" append=${p.value.append}`;
      return p?.$case ?? 'none';
    });
    const chunks = shape.filter((s) => s.startsWith('chunk'));
    expect(chunks).toEqual(['chunk "The weather in Oslo" append=false', 'chunk " is sunny." append=true']);
    expect(shape.indexOf(chunks[0] ?? '')).toBeGreaterThan(shape.indexOf('status TASK_STATE_WORKING'));
    expect(shape[shape.length - 1]).toBe('status TASK_STATE_COMPLETED');
  });

  it('returns at once, and the client polls GetTask until the forwarded task completes', async () => {
    const queued = asTask(await weather.sendMessage(sendParams(sdkMessage('weather in Kyiv'), true)));
    expect([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING]).toContain(queued.status?.state);
    const done = await rs.until(
      weather,
      queued.id,
      (t) => t.status?.state === TaskState.TASK_STATE_COMPLETED,
    );
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(done.artifacts[0]?.parts)).toBe('The weather in Kyiv is sunny.');
  });

  it('sends, then polls, a remote whose card does not stream', async () => {
    const task = asTask(await weatherPoll.sendMessage(sendParams(sdkMessage('weather in Rome'))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task.artifacts[0]?.parts)).toBe('The weather in Rome is sunny.');
    const methods = polled.calls.map((c) => c.method);
    expect(methods).not.toContain('SendStreamingMessage');
    expect(methods[0]).toBe('SendMessage');
    expect(methods.slice(1).every((m) => m === 'GetTask')).toBe(true);
  });

  it('delivers the forwarded events as signed push notifications', async () => {
    const url = `${receiver.origin}/hook`;
    const params = SendMessageRequest.fromJSON({
      message: { messageId: `m-push-${Date.now()}`, role: 'ROLE_USER', parts: [{ text: 'weather in Lima' }] },
      configuration: { taskPushNotificationConfig: { url, token: 'push-token' } },
    });
    const task = asTask(await weather.sendMessage(params));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const bodies = async () =>
      receiver.requests.map((r) => JSON.parse(r.body.toString()) as Record<string, unknown>);
    for (let i = 0; i < 200; i++) {
      const last = (await bodies()).at(-1) as { statusUpdate?: { status?: { state?: string } } } | undefined;
      if (last?.statusUpdate?.status?.state === 'TASK_STATE_COMPLETED') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const received = await bodies();
    expect(received.at(-1)).toMatchObject({
      statusUpdate: { taskId: task.id, status: { state: 'TASK_STATE_COMPLETED' } },
    });
    expect(received.some((b) => 'artifactUpdate' in b)).toBe(true);
    expect(receiver.requests.every((r) => typeof r.headers['x-a2a-signature'] === 'string')).toBe(true);
  });

  it("returns the remote's direct message as the answer", async () => {
    const reply = await weather.sendMessage(sendParams(sdkMessage('hello there')));
    expect(reply).toHaveProperty('messageId');
    expect(textOf((reply as { parts: { content?: { $case: string; value?: unknown } }[] }).parts)).toBe(
      'Hello from the remote',
    );
  });

  it("keeps the gateway's reserved metadata out of GetTask, a stream and a push body", async () => {
    const running = asTask(await weather.sendMessage(sendParams(sdkMessage('slow weather in Nice'), true)));
    try {
      let binding = await bindingOf(running.id);
      for (let i = 0; i < 200 && binding?.taskId === undefined; i++) {
        await new Promise((r) => setTimeout(r, 25));
        binding = await bindingOf(running.id);
      }
      expect(binding?.taskId).toEqual(expect.any(String));

      const got = await weather.getTask({ tenant: '', id: running.id, historyLength: undefined });
      expect.soft(JSON.stringify(got), 'GetTask').not.toContain('a2a-gateway/');

      const stream = weather.resubscribeTask({ tenant: '', id: running.id });
      const first = await stream.next();
      await stream.return(undefined);
      expect(first.value?.payload?.$case).toBe('task');
      expect.soft(JSON.stringify(first.value), 'stream snapshot').not.toContain('a2a-gateway/');

      await weather.createTaskPushNotificationConfig({
        tenant: '',
        taskId: running.id,
        id: 'reserved',
        url: `${receiver.origin}/reserved`,
        token: 't',
        authentication: undefined,
      });
      let snapshot: string | undefined;
      for (let i = 0; i < 200 && snapshot === undefined; i++) {
        snapshot = receiver.requests.find((r) => r.url === '/reserved')?.body.toString();
        if (snapshot === undefined) await new Promise((r) => setTimeout(r, 25));
      }
      expect(JSON.parse(snapshot ?? '{}')).toHaveProperty('task.id', running.id);
      expect.soft(snapshot, 'push body').not.toContain('a2a-gateway/');
    } finally {
      await weather.cancelTask({ tenant: '', id: running.id, metadata: undefined });
    }
  });
});
