/** A2A 0.3 on the same endpoint: method names, shapes, blocking, push configs, streams, versions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';
import { envelopes, eventsOf, parseSse } from '../../support/sse';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness({}, { streaming: { heartbeatMs: 60_000, directReplyWaitMs: 500 } });
});
afterAll(() => h.close());

const legacyMessage = (prefix: string, extra: Record<string, unknown> = {}) => ({
  kind: 'message',
  messageId: `${prefix}-${Math.random().toString(36).slice(2)}`,
  role: 'user',
  parts: [{ kind: 'text', text: 'hello' }],
  ...extra,
});

/** A 0.3 call: no A2A-Version header. Blocking calls get the worker run while they wait. */
async function call03(
  method: string,
  params: unknown,
  o: { drain?: boolean; headers?: Record<string, string> } = {},
) {
  const pending = h.rpc(method, params, { version: null, ...(o.headers ? { headers: o.headers } : {}) });
  if (o.drain) {
    for (let i = 0; i < 100 && h.queue.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await h.drain();
  }
  return pending;
}
const result03 = async (method: string, params: unknown, o: { drain?: boolean } = {}) => {
  const body = (await call03(method, params, o)).json();
  expect(body.error, JSON.stringify(body.error)).toBeUndefined();
  return body.result;
};

describe('message/send', () => {
  it('blocks by default and returns the bare task with kind, lowercase state and 0.3 parts', async () => {
    // A configuration without `blocking` blocks too (the 0.3 reference servers' default).
    const task = await result03(
      'message/send',
      { message: legacyMessage('tck-artifact-file'), configuration: { acceptedOutputModes: ['text/plain'] } },
      { drain: true },
    );
    expect(task).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    expect(task.artifacts[0].parts[0]).toEqual({
      kind: 'file',
      file: {
        bytes: Buffer.from('Generated file content').toString('base64'),
        mimeType: 'text/plain',
        name: 'output.txt',
      },
    });
    expect(task.history[0]).toMatchObject({
      kind: 'message',
      role: 'user',
      parts: [{ kind: 'text', text: 'hello' }],
    });
  });

  it('returns at once with blocking: false', async () => {
    const task = await result03('message/send', {
      message: legacyMessage('tck-complete-task'),
      configuration: { blocking: false },
    });
    expect(task.status.state).toBe('submitted');
    h.queue.take();
  });

  it('returns a direct reply as a bare message with role agent', async () => {
    const message = await result03(
      'message/send',
      { message: legacyMessage('tck-message-response') },
      { drain: true },
    );
    expect(message).toMatchObject({
      kind: 'message',
      role: 'agent',
      parts: [{ kind: 'text', text: 'Direct message response' }],
    });
  });

  it('translates file and data parts in, so the v1.0 view shows raw, url and data parts', async () => {
    const message = legacyMessage('parts', {
      parts: [
        { kind: 'file', file: { bytes: 'aGk=', mimeType: 'text/plain', name: 'a.txt' } },
        { kind: 'file', file: { uri: 'https://example.com/b.txt' } },
        { kind: 'data', data: { a: 1 } },
        { kind: 'data', data: { value: [1, 2] }, metadata: { data_part_compat: true } },
      ],
    });
    const task = await result03('message/send', { message, configuration: { blocking: false } });
    const v1 = (await h.rpc('GetTask', { id: task.id })).json().result;
    expect(v1.history[0].parts).toEqual([
      { raw: 'aGk=', mediaType: 'text/plain', filename: 'a.txt' },
      { url: 'https://example.com/b.txt' },
      { data: { a: 1 } },
      { data: [1, 2] },
    ]);
    h.queue.take();
  });
});

describe('tasks/get and tasks/cancel', () => {
  it('return the same task as GetTask and CancelTask, in 0.3 shape', async () => {
    const sent = await result03('message/send', {
      message: legacyMessage('x'),
      configuration: { blocking: false },
    });
    const v03 = await result03('tasks/get', { id: sent.id, historyLength: 1 });
    const v1 = (await h.rpc('GetTask', { id: sent.id, historyLength: 1 })).json().result;
    expect(v03).toMatchObject({
      kind: 'task',
      id: v1.id,
      contextId: v1.contextId,
      status: { timestamp: v1.status.timestamp },
    });
    expect(v03.history.map((m: { messageId: string }) => m.messageId)).toEqual(
      v1.history.map((m: { messageId: string }) => m.messageId),
    );
    const canceled = await result03('tasks/cancel', { id: sent.id });
    expect(canceled).toMatchObject({ kind: 'task', id: sent.id, status: { state: 'canceled' } });
    h.queue.take();
  });

  it('keep the error codes and the ErrorInfo data', async () => {
    const body = (await call03('tasks/get', { id: 'missing' })).json();
    expect(body.error.code).toBe(-32001);
    expect(body.error.data[0]).toMatchObject({ reason: 'TASK_NOT_FOUND', domain: 'a2a-protocol.org' });
    expect((await call03('tasks/cancel', { id: 'missing' })).json().error.code).toBe(-32001);
  });
});

describe('push notification configs over 0.3', () => {
  it('sets, gets, lists and deletes nested configs, stored with protocol 0.3', async () => {
    const task = await result03('message/send', {
      message: legacyMessage('p'),
      configuration: { blocking: false },
    });
    const set = await result03('tasks/pushNotificationConfig/set', {
      taskId: task.id,
      pushNotificationConfig: {
        url: 'https://hooks.example.com/a2a',
        token: 'tok-1',
        authentication: { schemes: ['Bearer'], credentials: 'secret' },
      },
    });
    expect(set).toEqual({
      taskId: task.id,
      pushNotificationConfig: {
        id: task.id,
        url: 'https://hooks.example.com/a2a',
        token: 'tok-1',
        authentication: { schemes: ['Bearer'], credentials: 'secret' },
      },
    });
    expect(await result03('tasks/pushNotificationConfig/get', { id: task.id })).toEqual(set);
    expect(
      await result03('tasks/pushNotificationConfig/get', { id: task.id, pushNotificationConfigId: task.id }),
    ).toEqual(set);
    // A placeholder id that names no config finds the default config (the one set without id).
    expect(
      await result03('tasks/pushNotificationConfig/get', {
        id: task.id,
        pushNotificationConfigId: 'default',
      }),
    ).toEqual(set);
    expect(await result03('tasks/pushNotificationConfig/list', { id: task.id })).toEqual([set]);
    const stored = await h.store.getPushConfig(
      { principal: { tenant: 'acme', subject: 'system', scopes: [] }, requestId: 't' },
      task.id,
      task.id,
    );
    expect(stored?.protocol).toBe('0.3');
    expect(stored?.config.authentication).toEqual({ scheme: 'Bearer', credentials: 'secret' });
    const v1 = (await h.rpc('ListTaskPushNotificationConfigs', { taskId: task.id })).json().result;
    expect(v1.configs[0]).toMatchObject({ id: task.id, url: 'https://hooks.example.com/a2a' });
    for (let i = 0; i < 2; i++) {
      expect(
        await result03('tasks/pushNotificationConfig/delete', {
          id: task.id,
          pushNotificationConfigId: task.id,
        }),
      ).toBeNull();
    }
    expect((await call03('tasks/pushNotificationConfig/get', { id: task.id })).json().error.code).toBe(
      -32001,
    );
    const named = { id: task.id, pushNotificationConfigId: 'default' };
    expect((await call03('tasks/pushNotificationConfig/get', named)).json().error.code).toBe(-32001);
    h.queue.take();
  });

  it('stores an inline pushNotificationConfig from message/send with protocol 0.3', async () => {
    const task = await result03('message/send', {
      message: legacyMessage('inline'),
      configuration: {
        blocking: false,
        pushNotificationConfig: { id: 'in-03', url: 'https://hooks.example.com/in' },
      },
    });
    const list = await result03('tasks/pushNotificationConfig/list', { id: task.id });
    expect(list).toEqual([
      { taskId: task.id, pushNotificationConfig: { id: 'in-03', url: 'https://hooks.example.com/in' } },
    ]);
    const ctx = { principal: { tenant: 'acme', subject: 'system', scopes: [] }, requestId: 't' };
    expect((await h.store.getPushConfig(ctx, task.id, 'in-03'))?.protocol).toBe('0.3');
    h.queue.take();
  });
});

describe('message/stream and tasks/resubscribe', () => {
  it('stream 0.3 events with kind, and final: true only on the last status-update', async () => {
    const res = await call03('message/stream', { message: legacyMessage('tck-stream-001') }, { drain: true });
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const results = envelopes(parseSse(res.body)).map((e) => e.result as { kind: string; final?: boolean });
    expect(results.map((r) => r.kind)).toEqual([
      'task',
      'status-update',
      'status-update',
      'artifact-update',
      'status-update',
    ]);
    expect(results.filter((r) => r.kind === 'status-update').map((r) => r.final)).toEqual([
      false,
      false,
      true,
    ]);
    expect(results.at(-1)).toMatchObject({ status: { state: 'completed' } });
  });

  it('resubscribes to a running task, and answers a finished one with an SSE error event (-32004)', async () => {
    const task = await result03('message/send', {
      message: legacyMessage('tck-stream-002'),
      configuration: { blocking: false },
    });
    const pending = call03('tasks/resubscribe', { id: task.id });
    for (let i = 0; i < 200 && h.bus.waiting === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await h.drain();
    const results = envelopes(parseSse((await pending).body)).map((e) => e.result as { kind: string });
    expect(results[0]).toMatchObject({ kind: 'task', id: task.id });
    expect(results.at(-1)).toMatchObject({
      kind: 'status-update',
      final: true,
      status: { state: 'completed' },
    });
    const finished = await call03('tasks/resubscribe', { id: task.id });
    expect(finished.headers['content-type']).toMatch(/^text\/event-stream/);
    const [error] = eventsOf(parseSse(finished.body));
    expect(error?.event).toBe('error');
    expect(JSON.parse(error?.data ?? '{}')).toMatchObject({ jsonrpc: '2.0', error: { code: -32004 } });
  });

  it('answers tasks/resubscribe of an unknown task as SSE with one error event (-32001), as 0.3 clients read it', async () => {
    const res = await call03('tasks/resubscribe', { id: 'no-such-task' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = eventsOf(parseSse(res.body));
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBe('error');
    expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 } });
  });
});

describe('version selection', () => {
  it('treats a request without A2A-Version (or with 0.3) as 0.3', async () => {
    const explicit = (await h.rpc('tasks/get', { id: 'missing' }, { version: '0.3' })).json();
    expect(explicit.error.code).toBe(-32001);
    const empty = (await h.rpc('tasks/get', { id: 'missing' }, { version: '' })).json();
    expect(empty.error.code).toBe(-32001);
  });

  it('answers -32601 with a hint for a 1.0 method without the header, and for a 0.3 method with 1.0', async () => {
    const noHeader = (await call03('GetTask', { id: 'x' })).json();
    expect(noHeader.error.code).toBe(-32601);
    expect(noHeader.error.message).toMatch(/A2A-Version: 1\.0/);
    const wrong = (await h.rpc('message/send', { message: legacyMessage('x') })).json();
    expect(wrong.error.code).toBe(-32601);
    expect(wrong.error.message).toMatch(/0\.3 method/);
  });

  it('has no 0.3 tasks/list, and answers agent/getAuthenticatedExtendedCard with a 0.3 card', async () => {
    expect((await call03('tasks/list', {})).json().error.code).toBe(-32601);
    expect(
      (await call03('agent/getAuthenticatedExtendedCard', undefined)).json().result.protocolVersion,
    ).toBe('0.3.0');
  });
});
