/**
 * The streaming Lambda entry (function URL, RESPONSE_STREAM) on a fake response stream that
 * honours the awslambda.HttpResponseStream contract, over the harness's store and worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTS } from '../../../core/agent-catalog';
import { buildAgentCard } from '../../../gateway/cards/agent-card';
import { buildLegacyAgentCard } from '../../../gateway/cards/legacy-agent-card';
import type { FunctionUrlEvent } from '../../../gateway/lambda/lambda-stream-types';
import { createStreamingHandler, type StreamingLambda } from '../../../gateway/lambda/streaming-handler';
import { DEFAULT_STREAMING_SETTINGS } from '../../../gateway/streaming/streaming-settings';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';
import { FakeResponseStream, fakeHttpResponseStream } from '../../support/lambda-response-stream';
import { envelopes, eventsOf, parseSse } from '../../support/sse';

let h: Harness;
let lambda: StreamingLambda;
let token: string;
beforeAll(async () => {
  h = await gatewayHarness({}, { streaming: { heartbeatMs: 60_000, directReplyWaitMs: 300 } });
  lambda = createStreamingHandler(h.deps, fakeHttpResponseStream);
  token = await h.token();
});
afterAll(() => h.close());

const event = (
  body: unknown,
  o: { path?: string; method?: string; headers?: Record<string, string>; base64?: boolean } = {},
): FunctionUrlEvent => {
  const raw = JSON.stringify(body);
  return {
    rawPath: o.path ?? '/agents/conformance',
    headers: {
      'content-type': 'application/json',
      'a2a-version': '1.0',
      authorization: `Bearer ${token}`,
      ...o.headers,
    },
    body: o.base64 ? Buffer.from(raw).toString('base64') : raw,
    isBase64Encoded: o.base64 === true,
    requestContext: { requestId: 'r-1', http: { method: o.method ?? 'POST' } },
  };
};
/** A GET (no body) on the function URL. */
const getEvent = (path: string, rawQueryString = ''): FunctionUrlEvent => {
  const { body: _none, ...rest } = event(undefined, { path, method: 'GET' });
  return { ...rest, rawQueryString };
};
const rpc = (method: string, params: unknown, id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});

async function invoke(e: FunctionUrlEvent, whileRunning?: () => Promise<void>) {
  const stream = new FakeResponseStream();
  const done = lambda.handler(e, stream, { awsRequestId: 'aws-1' });
  if (whileRunning) await whileRunning();
  await done;
  return stream.wire();
}
async function runWorker() {
  for (let i = 0; i < 100 && h.queue.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  await h.drain();
}

describe('the streaming Lambda handler', () => {
  it('streams SendStreamingMessage as SSE after an HTTP prelude, in seq order to COMPLETED', async () => {
    const wire = await invoke(
      event(
        rpc(
          'SendStreamingMessage',
          { message: userMessage('go', { messageId: `tck-stream-001-${Date.now()}` }) },
          'L1',
        ),
      ),
      runWorker,
    );
    expect(wire.prelude).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': expect.stringMatching(/^text\/event-stream/) },
    });
    const envs = envelopes(parseSse(wire.body));
    expect(envs.every((e) => e.id === 'L1')).toBe(true);
    expect(envs.map((e) => Object.keys(e.result ?? {})[0])).toEqual([
      'task',
      'statusUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    expect(envs.at(-1)?.result).toMatchObject({
      statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } },
    });
  });

  it('answers a unary method with one JSON response, also for a base64 body and a 0.3 request', async () => {
    const wire = await invoke(event(rpc('GetTask', { id: 'missing' }), { base64: true }));
    expect(wire.prelude).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': expect.stringMatching(/^application\/json/) },
    });
    expect(JSON.parse(wire.body).error.code).toBe(-32001);
    const legacy = await invoke(
      event(rpc('tasks/get', { id: 'missing' }), { headers: { 'a2a-version': '' } }),
    );
    expect(JSON.parse(legacy.body).error.code).toBe(-32001);
  });

  it('answers 401 with a challenge without a valid token, and 404 off the endpoint', async () => {
    const unauth = await invoke(
      event(rpc('GetTask', { id: 'x' }), { headers: { authorization: 'Bearer nope' } }),
    );
    expect(unauth.prelude).toMatchObject({
      statusCode: 401,
      headers: { 'www-authenticate': expect.stringMatching(/^Bearer/) },
    });
    expect((await invoke(event({}, { method: 'GET' }))).prelude?.statusCode).toBe(404);
    expect((await invoke(event({}, { path: '/elsewhere' }))).prelude?.statusCode).toBe(404);
  });

  it('serves HTTP+JSON too: /message:stream as bare StreamResponse events, GET /tasks/{id}, Status errors', async () => {
    const message = userMessage('go', { messageId: `tck-stream-001-${Date.now()}` });
    const wire = await invoke(event({ message }, { path: '/agents/conformance/message:stream' }), runWorker);
    expect(wire.prelude?.statusCode).toBe(200);
    const frames = eventsOf(parseSse(wire.body)).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(frames.map((f) => Object.keys(f)[0])).toEqual([
      'task',
      'statusUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    const taskId = String((frames[0]?.task as { id?: string } | undefined)?.id);

    const got = await invoke(getEvent(`/agents/conformance/tasks/${taskId}`, 'historyLength=1'));
    expect(got.prelude?.statusCode).toBe(200);
    expect(JSON.parse(got.body)).toMatchObject({ id: taskId, status: { state: 'TASK_STATE_COMPLETED' } });
    expect(JSON.parse(got.body).history).toHaveLength(1);

    const missing = await invoke(getEvent('/agents/conformance/tasks/nope'));
    expect(missing.prelude?.statusCode).toBe(404);
    expect(JSON.parse(missing.body).error).toMatchObject({ code: 404, status: 'NOT_FOUND' });

    const wrong = await invoke(event({}, { path: '/agents/conformance/message:send', method: 'DELETE' }));
    expect(wrong.prelude).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
    const unauth = await invoke(event({}, { path: '/tasks', method: 'GET', headers: { authorization: '' } }));
    expect(unauth.prelude?.statusCode).toBe(401);
  });

  it('releases the watcher and the stream slot when the client goes away', async () => {
    const sent = (
      await h.rpc('SendMessage', { message: userMessage('x'), configuration: { returnImmediately: true } })
    ).json();
    const stream = new FakeResponseStream();
    const done = lambda.handler(event(rpc('SubscribeToTask', { id: sent.result.task.id })), stream, {});
    for (let i = 0; i < 200 && h.bus.waiting === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(lambda.dispatcher.limiter?.count()).toBe(1);
    stream.destroy();
    await done;
    expect(h.bus.waiting).toBe(0);
    expect(lambda.dispatcher.limiter?.count()).toBe(0);
    expect(envelopes(parseSse(stream.wire().body))).toHaveLength(1);
    h.queue.take();
  });

  it('holds nothing for a client that left before its stream started', async () => {
    const sent = (
      await h.rpc('SendMessage', { message: userMessage('x'), configuration: { returnImmediately: true } })
    ).json();
    const stream = new FakeResponseStream();
    stream.destroy();
    await lambda.handler(event(rpc('SubscribeToTask', { id: sent.result.task.id })), stream, {});
    expect(lambda.dispatcher.limiter?.count()).toBe(0);
    expect(h.bus.waiting).toBe(0);
    h.queue.take();
  });

  it('ends a stream at the maximum duration, so the client resumes with Last-Event-ID', async () => {
    const short = createStreamingHandler(
      { ...h.deps, streaming: { ...DEFAULT_STREAMING_SETTINGS, maxDurationMs: 50 } },
      fakeHttpResponseStream,
    );
    const sent = (
      await h.rpc('SendMessage', { message: userMessage('x'), configuration: { returnImmediately: true } })
    ).json();
    const stream = new FakeResponseStream();
    await short.handler(event(rpc('SubscribeToTask', { id: sent.result.task.id })), stream, {});
    expect(envelopes(parseSse(stream.wire().body)).map((e) => Object.keys(e.result ?? {})[0])).toEqual([
      'task',
    ]);
    expect(stream.writableEnded).toBe(true);
    h.queue.take();
  });
});

describe('cards where streaming is deployed on a function URL', () => {
  it('advertise the function URL as the interface, with streaming on, in both card versions', () => {
    const settings = {
      publicBaseUrl: 'https://api.example.com',
      interfaceUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
      streaming: true,
      pushNotifications: true,
      extendedAgentCard: false,
    };
    const echo = AGENTS.find((a) => a.id === 'echo');
    if (!echo) throw new Error('no echo agent');
    const v1 = buildAgentCard(echo, settings) as {
      supportedInterfaces: { url: string }[];
      capabilities: { streaming: boolean };
    };
    expect(v1.supportedInterfaces.map((i) => i.url)).toEqual([
      'https://abc.lambda-url.eu-west-1.on.aws/agents/echo',
      'https://abc.lambda-url.eu-west-1.on.aws/agents/echo',
      'https://abc.lambda-url.eu-west-1.on.aws/agents/echo',
    ]);
    expect(v1.capabilities.streaming).toBe(true);
    expect(buildLegacyAgentCard(echo, settings)).toMatchObject({
      url: 'https://abc.lambda-url.eu-west-1.on.aws/agents/echo',
      capabilities: { streaming: true },
    });
  });
});
