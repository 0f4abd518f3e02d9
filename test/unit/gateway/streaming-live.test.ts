/**
 * Streams over a real loopback socket: heartbeats, disconnects, limits, several subscribers,
 * and resuming a dropped stream with Last-Event-ID.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';
import { readSse, type SseEvent, type SseItem } from '../../support/sse';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await gatewayHarness(
    {},
    {
      streaming: { heartbeatMs: 40, maxStreamsPerTenant: 3, maxStreamsPerProcess: 4, directReplyWaitMs: 200 },
    },
  );
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(() => h.close());

const tokens = new Map<string, string>();
async function tokenFor(tenant: string) {
  if (!tokens.has(tenant)) tokens.set(tenant, await h.token({ tenant }));
  return tokens.get(tenant) as string;
}

async function post(
  method: string,
  params: unknown,
  o: { tenant?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
) {
  return fetch(`${base}/agents/conformance`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'a2a-version': '1.0',
      authorization: `Bearer ${await tokenFor(o.tenant ?? 'acme')}`,
      ...o.headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

async function queuedTask(prefix: string, tenant = 'acme'): Promise<string> {
  const message = userMessage('go', { messageId: `${prefix}-${Math.random().toString(36).slice(2)}` });
  const res = await post('SendMessage', { message, configuration: { returnImmediately: true } }, { tenant });
  return ((await res.json()) as { result: { task: { id: string } } }).result.task.id;
}

/** A live subscription that collects what arrives. */
function subscribe(taskId: string, o: { tenant?: string; lastEventId?: string } = {}) {
  const abort = new AbortController();
  const items: SseItem[] = [];
  const headers: Record<string, string> = o.lastEventId ? { 'last-event-id': o.lastEventId } : {};
  const done = (async () => {
    const res = await post('SubscribeToTask', { id: taskId }, { ...o, headers, signal: abort.signal });
    if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return res.json();
    try {
      for await (const item of readSse(res)) items.push(item);
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
    return undefined;
  })();
  const events = () => items.flatMap((i): SseEvent[] => (i.kind === 'event' ? [i.event] : []));
  return { abort: () => abort.abort(), done, items, events };
}

const until = (check: () => boolean, what: string) =>
  expect.poll(check, { timeout: 4_000, interval: 10, message: `timed out waiting for ${what}` }).toBe(true);

describe('live streams', () => {
  it('sends `: ping` comments while a stream is idle', async () => {
    const sub = subscribe(await queuedTask('tck-stream-001'));
    await until(() => sub.items.some((i) => i.kind === 'comment' && i.text === 'ping'), 'a heartbeat');
    sub.abort();
    await sub.done;
    h.queue.take();
  });

  it('releases the watcher and the stream slot when the client disconnects', async () => {
    const taskId = await queuedTask('tck-stream-001', 'initech');
    const subs = [0, 1, 2].map(() => subscribe(taskId, { tenant: 'initech' }));
    await until(
      () => subs.every((s) => s.events().length === 1) && h.bus.waiting === 3,
      'three tailing subscribers',
    );
    for (const s of subs) s.abort();
    await Promise.all(subs.map((s) => s.done));
    await until(() => h.bus.waiting === 0, 'the watchers to be released');
    const again = subscribe(taskId, { tenant: 'initech' });
    await until(() => again.events().length === 1, 'a new stream in a freed slot');
    again.abort();
    await again.done;
    h.queue.take();
  });

  it('answers 429 beyond the per-tenant limit and 503 beyond the per-process limit', async () => {
    const taskA = await queuedTask('tck-stream-001', 'umbrella');
    const taskB = await queuedTask('tck-stream-001', 'hooli');
    const open = [0, 1, 2].map(() => subscribe(taskA, { tenant: 'umbrella' }));
    try {
      await until(() => open.every((s) => s.events().length === 1), "the tenant's three streams");
      const overTenant = await post('SubscribeToTask', { id: taskA }, { tenant: 'umbrella' });
      expect(overTenant.status).toBe(429);
      expect(((await overTenant.json()) as { error: { code: number } }).error.code).toBe(-32603);
      open.push(subscribe(taskB, { tenant: 'hooli' }));
      await until(() => open.every((s) => s.events().length === 1), 'four open streams');
      const overProcess = await post('SubscribeToTask', { id: taskB }, { tenant: 'hooli' });
      expect(overProcess.status).toBe(503);
      expect(overProcess.headers.get('retry-after')).toBeTruthy();
    } finally {
      for (const s of open) s.abort();
      await Promise.all(open.map((s) => s.done));
      h.queue.take();
    }
  });

  it('gives concurrent subscribers identical sequences, and closing one leaves the others running', async () => {
    const taskId = await queuedTask('tck-stream-artifact-chunked');
    const [a, b, c] = [subscribe(taskId), subscribe(taskId), subscribe(taskId)];
    await until(() => [a, b, c].every((s) => s.events().length === 1), 'three snapshots');
    c.abort();
    await c.done;
    await h.drain();
    await Promise.all([a.done, b.done]);
    expect(a.events().length, JSON.stringify(a.items)).toBe(6);
    expect(b.events()).toEqual(a.events());
    expect(a.events().slice(0, c.events().length)).toEqual(c.events());
  });

  it('resumes a stream dropped mid-task with Last-Event-ID: the whole sequence, in order, once', async () => {
    const taskId = await queuedTask('test-resubscribe-message-id');
    const first = subscribe(taskId);
    await until(() => first.events().length === 1, 'the snapshot');
    const running = h.drain();
    await until(() => first.events().length >= 2, 'a status update');
    first.abort();
    await first.done;
    const seen = first.events();
    const lastId = seen.at(-1)?.id as string;
    const resumed = subscribe(taskId, { lastEventId: lastId });
    await running;
    await resumed.done;
    const ids = [...seen, ...resumed.events()].map((e) => Number(e.id));
    expect(ids, JSON.stringify([seen, resumed.items, await resumed.done])).toEqual([1, 2, 3, 4]);
    const last = JSON.parse(resumed.events().at(-1)?.data ?? '{}');
    expect(last.result.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('ends open streams when the server closes', async () => {
    const other = await gatewayHarness({}, { streaming: { heartbeatMs: 1000 } });
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}/agents/conformance`;
    const headers = {
      'content-type': 'application/json',
      'a2a-version': '1.0',
      authorization: `Bearer ${await other.token()}`,
    };
    const sent = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: { message: userMessage('x'), configuration: { returnImmediately: true } },
      }),
    });
    const { result } = (await sent.json()) as { result: { task: { id: string } } };
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'SubscribeToTask',
        params: { id: result.task.id },
      }),
    });
    const reading = (async () => {
      const got: SseItem[] = [];
      for await (const item of readSse(res)) got.push(item);
      return got;
    })();
    await until(() => other.bus.waiting === 1, 'the subscriber to tail');
    await other.close();
    expect((await reading).filter((i) => i.kind === 'event')).toHaveLength(1);
  });
});
