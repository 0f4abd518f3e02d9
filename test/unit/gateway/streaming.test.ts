/** SendStreamingMessage and SubscribeToTask over SSE (v1.0), on app.inject with the memory store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';
import { envelopes, eventsOf, parseSse } from '../../support/sse';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness({}, { streaming: { heartbeatMs: 60_000, directReplyWaitMs: 500 } });
});
afterAll(() => h.close());

const tck = (prefix: string) =>
  userMessage('go', { messageId: `${prefix}-${Math.random().toString(36).slice(2)}` });

/** Starts a streaming call, runs the queued work through the worker, and returns the response. */
async function streamed(method: string, params: unknown, o: Parameters<Harness['rpc']>[2] = {}) {
  const pending = h.rpc(method, params, o);
  for (let i = 0; i < 100 && h.queue.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  await h.drain();
  return pending;
}
interface StreamResult {
  task?: { id: string; status: { state: string } };
  message?: Record<string, unknown>;
  statusUpdate?: { taskId: string; status: { state: string } };
  artifactUpdate?: Record<string, unknown>;
}
const results = (body: string) => envelopes(parseSse(body)).map((e) => e.result as StreamResult);
const kinds = (body: string) => results(body).map((r) => Object.keys(r)[0]);

async function completedTask(prefix = 'tck-stream-001') {
  const res = await streamed('SendStreamingMessage', { message: tck(prefix) });
  return results(res.body)[0]?.task?.id as string;
}

describe('SendStreamingMessage', () => {
  it('answers 200 text/event-stream with the created task first, then updates in seq order, and closes at COMPLETED', async () => {
    const res = await streamed('SendStreamingMessage', { message: tck('tck-stream-001') }, { id: 'req-7' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const items = parseSse(res.body);
    const events = eventsOf(items);
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    for (const env of envelopes(items)) expect(env).toMatchObject({ jsonrpc: '2.0', id: 'req-7' });
    expect(kinds(res.body)).toEqual([
      'task',
      'statusUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    const all = results(res.body);
    expect(all[0]).toMatchObject({ task: { status: { state: 'TASK_STATE_SUBMITTED' } } });
    expect(all.at(-1)).toMatchObject({ statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } });
    expect(res.body).not.toMatch(/"kind"|"final"/);
  });

  it('keeps append and lastChunk on chunks of one artifact', async () => {
    const res = await streamed('SendStreamingMessage', { message: tck('tck-stream-artifact-chunked') });
    const chunks = results(res.body).flatMap((r) => ('artifactUpdate' in r ? [r.artifactUpdate] : []));
    expect(chunks).toMatchObject([
      {
        artifact: { artifactId: 'chunked-artifact', parts: [{ text: 'chunk-1 ' }] },
        append: false,
        lastChunk: false,
      },
      {
        artifact: { artifactId: 'chunked-artifact', parts: [{ text: 'chunk-2' }] },
        append: true,
        lastChunk: true,
      },
    ]);
  });

  it('answers a direct Message reply with exactly one message event', async () => {
    const res = await streamed('SendStreamingMessage', { message: tck('tck-message-response') });
    expect(kinds(res.body)).toEqual(['message']);
    expect(results(res.body)[0]).toMatchObject({
      message: { role: 'ROLE_AGENT', parts: [{ text: 'Direct message response' }] },
    });
  });

  it('closes the stream at INPUT_REQUIRED, and a reply streams the same task on', async () => {
    const first = await streamed('SendStreamingMessage', { message: tck('tck-input-required') });
    const last = results(first.body).at(-1)?.statusUpdate;
    expect(last?.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    const taskId = last?.taskId as string;
    const reply = await streamed('SendStreamingMessage', {
      message: { ...tck('tck-complete-task'), taskId },
    });
    const all = results(reply.body);
    expect(all[0]).toMatchObject({ task: { id: taskId, status: { state: 'TASK_STATE_SUBMITTED' } } });
    expect(all.at(-1)).toMatchObject({ statusUpdate: { taskId, status: { state: 'TASK_STATE_COMPLETED' } } });
  });

  it('answers a validation error before the first event as plain JSON -32602', async () => {
    const res = await h.rpc('SendStreamingMessage', {
      message: { messageId: 'x', role: 'ROLE_USER', parts: [] },
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error.code).toBe(-32602);
  });
});

describe('SubscribeToTask', () => {
  it('starts with the current task and follows it to the end', async () => {
    const sent = (
      await h.rpc('SendMessage', {
        message: tck('tck-stream-001'),
        configuration: { returnImmediately: true },
      })
    ).json().result.task;
    const pending = h.rpc('SubscribeToTask', { id: sent.id });
    // The subscriber is tailing the log once it waits on the change bus; then the worker runs.
    for (let i = 0; i < 200 && h.bus.waiting === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await h.drain();
    const res = await pending;
    expect(results(res.body)[0]).toMatchObject({
      task: { id: sent.id, status: { state: 'TASK_STATE_SUBMITTED' } },
    });
    expect(kinds(res.body)).toEqual([
      'task',
      'statusUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    expect(results(res.body).at(-1)).toMatchObject({
      statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } },
    });
  });

  it('answers -32004 as plain JSON for a terminal task', async () => {
    const res = await h.rpc('SubscribeToTask', { id: await completedTask() });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error.code).toBe(-32004);
  });

  it('answers -32001 for an unknown task and for a task of another tenant', async () => {
    expect((await h.rpc('SubscribeToTask', { id: 'no-such-task' })).json().error.code).toBe(-32001);
    const foreign = await h.token({ tenant: 'globex' });
    const res = await h.rpc('SubscribeToTask', { id: await completedTask() }, { token: foreign });
    expect(res.json().error.code).toBe(-32001);
  });
});

describe('Last-Event-ID', () => {
  it('replays exactly the events after that id, without a snapshot', async () => {
    const taskId = await completedTask();
    const res = await h.rpc('SubscribeToTask', { id: taskId }, { headers: { 'last-event-id': '2' } });
    const events = eventsOf(parseSse(res.body));
    expect(events.map((e) => e.id)).toEqual(['3', '4', '5']);
    expect(kinds(res.body)).toEqual(['statusUpdate', 'artifactUpdate', 'statusUpdate']);
  });

  it.each([
    ['not a number', 'abc', -32602],
    ['ahead of the log', '99', -32602],
    ['the last event of a terminal task', '5', -32004],
  ])('answers plain JSON for an id that is %s', async (_n, id, code) => {
    const res = await h.rpc(
      'SubscribeToTask',
      { id: await completedTask() },
      { headers: { 'last-event-id': id } },
    );
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error.code).toBe(code);
  });
});

describe('with streaming off', () => {
  it('answers -32004 as plain JSON for both streaming methods and says so in the card', async () => {
    const off = await gatewayHarness();
    for (const [method, params] of [
      ['SendStreamingMessage', { message: userMessage('x') }],
      ['SubscribeToTask', { id: 'any' }],
    ] as const) {
      const res = await off.rpc(method, params);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().error.code).toBe(-32004);
    }
    expect(off.queue.sent).toHaveLength(0);
    const card = (await off.app.inject({ url: '/agents/conformance/.well-known/agent-card.json' })).json();
    expect(card.capabilities.streaming).toBe(false);
    await off.close();
  });

  it('advertises streaming: true where it is served', async () => {
    const card = (await h.app.inject({ url: '/agents/conformance/.well-known/agent-card.json' })).json();
    expect(card.capabilities.streaming).toBe(true);
  });
});
