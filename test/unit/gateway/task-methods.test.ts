import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskState } from '../../../core/a2a/task-state';
import { systemContext } from '../../../core/context';
import { REMOTE_TASK_METADATA_KEY } from '../../../core/remote-agents';
import { commitStatus } from '../../support/factories';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness();
});
afterAll(() => h.close());

const result = async (method: string, params: unknown, o = {}) => {
  const res = await h.rpc(method, params, o);
  expect(res.statusCode).toBe(200);
  const body = res.json();
  if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, body });
  return body.result;
};
const errorCode = async (method: string, params: unknown, o = {}) => {
  const body = (await h.rpc(method, params, o)).json();
  expect(body.error, JSON.stringify(body)).toBeDefined();
  return body.error.code as number;
};
const submit = (text: string, extra: Record<string, unknown> = {}, config: Record<string, unknown> = {}) =>
  result('SendMessage', {
    message: userMessage(text, extra),
    configuration: { returnImmediately: true, ...config },
  });

/** A blocking call resolves once the worker has run the queued work. */
async function blocking(method: string, params: unknown, o = {}) {
  const pending = result(method, params, o);
  for (let i = 0; i < 100 && h.queue.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  await h.drain();
  return pending;
}

describe('SendMessage', () => {
  it('creates a task with a server id and a contextId, and enqueues it once', async () => {
    const before = h.queue.sent.length;
    const { task } = await submit('hello');
    expect(task.id).toMatch(/[0-9a-f-]{36}/);
    expect(task.contextId).toBeTruthy();
    expect(task.status.state).toBe('TASK_STATE_SUBMITTED');
    expect(h.queue.sent.length).toBe(before + 1);
    h.queue.take();
  });

  it('keeps a client contextId verbatim', async () => {
    const { task } = await submit('hi', { contextId: 'my-context-42' });
    expect(task.contextId).toBe('my-context-42');
    h.queue.take();
  });

  it('returns the same task for a retried messageId, without a second task', async () => {
    const message = userMessage('once');
    const first = await result('SendMessage', { message, configuration: { returnImmediately: true } });
    const again = await result('SendMessage', { message, configuration: { returnImmediately: true } });
    expect(again.task.id).toBe(first.task.id);
    h.queue.take();
  });

  it('treats a reused messageId with other text as a new message, not a retry', async () => {
    const first = await submit('first text', { messageId: 'reused-id-1' });
    const other = await submit('other text', { messageId: 'reused-id-1' });
    expect(other.task.id).not.toBe(first.task.id);
    expect(other.task.history[0].parts[0].text).toBe('other text');
    const retry = await submit('other text', { messageId: 'reused-id-1' });
    expect(retry.task.id).toBe(other.task.id);
    h.queue.take();
  });

  it('treats a reused messageId in another context or on another agent as a new message', async () => {
    const first = await submit('same', { messageId: 'reused-id-2', contextId: 'ctx-a' });
    const otherContext = await submit('same', { messageId: 'reused-id-2', contextId: 'ctx-b' });
    expect(otherContext.task.id).not.toBe(first.task.id);
    const viaEcho = await h.rpc(
      'SendMessage',
      {
        message: userMessage('same', { messageId: 'reused-id-2', contextId: 'ctx-a' }),
        configuration: { returnImmediately: true },
      },
      { agent: 'echo' },
    );
    expect(viaEcho.json().result.task.id).not.toBe(first.task.id);
    h.queue.take();
  });

  it('accepts a follow-up that reuses a messageId of another task', async () => {
    const asking = await submit('q', { messageId: `tck-input-required-r${Date.now()}` });
    await h.drain();
    const other = await submit('x', { messageId: 'follow-up-reuse' });
    const followUp = await submit('answer', { messageId: 'follow-up-reuse', taskId: asking.task.id });
    expect(followUp.task.id).toBe(asking.task.id);
    expect(other.task.id).not.toBe(asking.task.id);
    h.queue.take();
  });

  it('blocks by default until the task completes and returns its artifacts', async () => {
    const { task } = await blocking('SendMessage', { message: userMessage('ping') }, { agent: 'echo' });
    expect(task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(task.artifacts[0].parts[0].text).toBe('ping');
  });

  it('returns the current state when the blocking cap passes', async () => {
    const capped = await gatewayHarness({ blockingTimeoutMs: 50 });
    const res = (await capped.rpc('SendMessage', { message: userMessage('slow') })).json();
    expect(res.result.task.status.state).toBe('TASK_STATE_SUBMITTED');
    await capped.close();
  });

  it('returns a direct Message for tck-message-response', async () => {
    const res = await blocking('SendMessage', {
      message: userMessage('x', { messageId: 'tck-message-response-1' }),
    });
    expect(res.message.parts[0].text).toBe('Direct message response');
    expect(res.message.role).toBe('ROLE_AGENT');
    expect(res).not.toHaveProperty('task');
  });

  it('continues an INPUT_REQUIRED task with the same id', async () => {
    const first = await blocking('SendMessage', {
      message: userMessage('q', { messageId: `tck-input-required-${Date.now()}` }),
    });
    expect(first.task.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    const follow = await blocking('SendMessage', {
      message: userMessage('done', { messageId: `tck-complete-task-${Date.now()}`, taskId: first.task.id }),
    });
    expect(follow.task.id).toBe(first.task.id);
    expect(follow.task.contextId).toBe(first.task.contextId);
    expect(follow.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(follow.task.status.message.parts[0].text).toBe('Hello from TCK');
  });

  it('answers -32004 for a message to a terminal task', async () => {
    const done = await blocking('SendMessage', {
      message: userMessage('x', { messageId: `tck-complete-task-${Date.now()}` }),
    });
    expect(await errorCode('SendMessage', { message: userMessage('more', { taskId: done.task.id }) })).toBe(
      -32004,
    );
  });

  it('answers -32001 for an unknown taskId and -32602 for a taskId with another contextId', async () => {
    expect(await errorCode('SendMessage', { message: userMessage('x', { taskId: 'no-such-task' }) })).toBe(
      -32001,
    );
    const open = await blocking('SendMessage', { message: userMessage('hi') });
    expect(
      await errorCode('SendMessage', {
        message: userMessage('x', { taskId: open.task.id, contextId: 'other' }),
      }),
    ).toBe(-32602);
  });

  it.each([
    ['empty parts', { messageId: 'a', role: 'ROLE_USER', parts: [] }],
    ['a missing role', { messageId: 'a', parts: [{ text: 'x' }] }],
    ['a missing messageId', { role: 'ROLE_USER', parts: [{ text: 'x' }] }],
    ['a part with no content', { messageId: 'a', role: 'ROLE_USER', parts: [{ mediaType: 'text/plain' }] }],
    [
      'a part with two contents',
      { messageId: 'a', role: 'ROLE_USER', parts: [{ text: 'x', url: 'https://e.x' }] },
    ],
    ['an agent role', { messageId: 'a', role: 'ROLE_AGENT', parts: [{ text: 'x' }] }],
    ['an unknown role', { messageId: 'a', role: 'user', parts: [{ text: 'x' }] }],
  ])('answers -32602 for %s', async (_n, message) => {
    expect(await errorCode('SendMessage', { message })).toBe(-32602);
  });

  it('answers -32005 for a part media type the agent does not accept', async () => {
    const message = userMessage('x', { parts: [{ raw: 'AAAA', mediaType: 'image/png' }] });
    expect(await errorCode('SendMessage', { message })).toBe(-32005);
  });

  it('accepts snake_case params and answers in camelCase', async () => {
    const res = await result('SendMessage', {
      message: {
        message_id: `snake-${Date.now()}`,
        role: 'ROLE_USER',
        parts: [{ text: 'hi' }],
        context_id: 'ctx-snake',
      },
      configuration: { return_immediately: true, history_length: 0 },
    });
    expect(res.task.contextId).toBe('ctx-snake');
    expect(res.task).not.toHaveProperty('history');
    const got = await result('GetTask', { id: res.task.id, history_length: 1 });
    expect(got.history).toHaveLength(1);
    expect(got.history[0].messageId).toMatch(/^snake-/);
    h.queue.take();
  });
});

describe('GetTask', () => {
  it('applies historyLength: 0 omits history, n keeps the n newest', async () => {
    const first = await blocking('SendMessage', {
      message: userMessage('a', { messageId: `tck-input-required-a${Date.now()}` }),
    });
    await blocking('SendMessage', { message: userMessage('b', { taskId: first.task.id }) });
    const all = await result('GetTask', { id: first.task.id });
    expect(all.history.length).toBeGreaterThanOrEqual(3);
    expect(await result('GetTask', { id: first.task.id, historyLength: 0 })).not.toHaveProperty('history');
    const two = await result('GetTask', { id: first.task.id, historyLength: 2 });
    expect(two.history).toEqual(all.history.slice(-2));
    expect(await errorCode('GetTask', { id: first.task.id, historyLength: -1 })).toBe(-32602);
  });

  it('answers -32001 for an unknown id', async () => {
    expect(await errorCode('GetTask', { id: 'missing' })).toBe(-32001);
  });
});

describe('ListTasks', () => {
  it('lists newest first in cursor pages with totalSize, and no artifacts key by default', async () => {
    const lister = await gatewayHarness();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = (
        await lister.rpc(
          'SendMessage',
          { message: userMessage(`t${i}`), configuration: { returnImmediately: true } },
          { agent: 'echo' },
        )
      ).json();
      ids.push(r.result.task.id);
      await new Promise((res) => setTimeout(res, 2));
    }
    await lister.drain();
    const seen: string[] = [];
    let token = '';
    do {
      const page = (
        await lister.rpc('ListTasks', { pageSize: 2, pageToken: token }, { agent: 'echo' })
      ).json().result;
      expect(page.totalSize).toBe(5);
      expect(page.pageSize).toBe(2);
      for (const t of page.tasks) expect(t).not.toHaveProperty('artifacts');
      seen.push(...page.tasks.map((t: { id: string }) => t.id));
      token = page.nextPageToken;
    } while (token !== '');
    expect(new Set(seen).size).toBe(5);
    const withArtifacts = (
      await lister.rpc('ListTasks', { includeArtifacts: true }, { agent: 'echo' })
    ).json().result;
    expect(withArtifacts.tasks[0].artifacts).toBeDefined();
    await lister.close();
  });

  it.each([0, 101])('answers -32602 for pageSize %i', async (pageSize) => {
    expect(await errorCode('ListTasks', { pageSize })).toBe(-32602);
  });

  it('filters by status and contextId', async () => {
    const { task } = await submit('filter me', { contextId: `ctx-filter-${Date.now()}` });
    const byCtx = await result('ListTasks', { contextId: task.contextId });
    expect(byCtx.tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
    const submitted = await result('ListTasks', {
      status: 'TASK_STATE_SUBMITTED',
      contextId: task.contextId,
    });
    expect(submitted.tasks).toHaveLength(1);
    const done = await result('ListTasks', { status: 'TASK_STATE_COMPLETED', contextId: task.contextId });
    expect(done.tasks).toHaveLength(0);
    h.queue.take();
  });
});

describe('CancelTask', () => {
  const ctx = systemContext('acme', 'test');
  const commitState = (taskId: string, state: TaskState, metadata?: Record<string, unknown>) =>
    commitStatus(h.store, ctx, taskId, state, metadata ? { metadata } : {});
  /** A worker's lease on the task, as a run holds it until its release. */
  const holdLease = async (taskId: string) => {
    const now = Date.now();
    const held = await h.store.acquireLease(ctx, {
      taskId,
      lease: { owner: 'w/run', until: now + 60_000 },
      now,
    });
    expect(held).toBeDefined();
  };

  it('cancels a queued task at once and is idempotent', async () => {
    const { task } = await submit('cancel me');
    const canceled = await result('CancelTask', { id: task.id });
    expect(canceled.status.state).toBe('TASK_STATE_CANCELED');
    expect((await result('CancelTask', { id: task.id })).status.state).toBe('TASK_STATE_CANCELED');
    const outcomes = await h.drain();
    expect(outcomes).toContain('skipped');
  });

  it('enqueues the remote cancel of a task forwarded to a remote agent, and only of such a task', async () => {
    const { task } = await submit('waits for input');
    h.queue.take();
    // what the forwarding worker writes: the remote binding, then INPUT_REQUIRED (no lease held)
    await commitState(task.id, TaskState.InputRequired, {
      [REMOTE_TASK_METADATA_KEY]: { localTaskId: task.id, agentId: 'conformance', taskId: 'r-1', turn: 'm' },
    });

    const canceled = await result('CancelTask', { id: task.id });
    expect(canceled.status.state).toBe('TASK_STATE_CANCELED');
    const after = await h.store.get(ctx, task.id);
    expect(h.queue.take()).toEqual([{ v: 1, tenant: 'acme', taskId: task.id, seq: after?.version }]);

    const plain = (await submit('no remote')).task;
    h.queue.take();
    await result('CancelTask', { id: plain.id });
    expect(h.queue.take()).toEqual([]);
  });

  it('cancels a task waiting for input at once, also while the run of its last turn still holds the lease', async () => {
    // The run commits INPUT_REQUIRED and releases its lease in a later write: a client that
    // cancels as soon as its blocking send returned comes in between.
    const { task } = await submit('waits for input');
    h.queue.take();
    await holdLease(task.id);
    await commitState(task.id, TaskState.Working);
    await commitState(task.id, TaskState.InputRequired);
    const started = Date.now();
    const canceled = await result('CancelTask', { id: task.id });
    expect(canceled.status.state).toBe('TASK_STATE_CANCELED');
    expect((await h.store.get(ctx, task.id))?.status.state).toBe(TaskState.Canceled);
    // not after the cancel wait (1 s in the harness) ran out
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('cancels a running task that stops for input instead of honouring the cancel request', async () => {
    const { task } = await submit('runs, then asks');
    h.queue.take();
    await holdLease(task.id);
    await commitState(task.id, TaskState.Working);
    const pending = result('CancelTask', { id: task.id });
    await expect.poll(async () => (await h.store.get(ctx, task.id))?.cancelRequested).toBe(true);
    // the run's last step ends its turn (it did not look at the flag after its last check)
    await commitState(task.id, TaskState.InputRequired);
    expect((await pending).status.state).toBe('TASK_STATE_CANCELED');
    expect((await h.store.get(ctx, task.id))?.status.state).toBe(TaskState.Canceled);
  });

  it("drops the gateway's reserved metadata keys a client sends", async () => {
    const forged = { localTaskId: 'x', agentId: 'conformance', taskId: 'victim', turn: 'm' };
    const { task } = await submit('forge', {}, {});
    h.queue.take();
    const planted = { [REMOTE_TASK_METADATA_KEY]: { ...forged, localTaskId: task.id }, note: 'kept' };
    const canceled = await result('CancelTask', { id: task.id, metadata: planted });
    expect(canceled.metadata).toEqual({ note: 'kept' });
    expect(h.queue.take()).toEqual([]);
    const sent = await result('SendMessage', {
      message: userMessage('forge again'),
      metadata: { [REMOTE_TASK_METADATA_KEY]: forged, note: 'kept' },
      configuration: { returnImmediately: true },
    });
    expect(sent.task.metadata).toEqual({ note: 'kept' });
    h.queue.take();
  });

  it('answers -32002 for a completed task and -32001 for an unknown one', async () => {
    const done = await blocking('SendMessage', {
      message: userMessage('x', { messageId: `tck-complete-task-c${Date.now()}` }),
    });
    expect(await errorCode('CancelTask', { id: done.task.id })).toBe(-32002);
    expect(await errorCode('CancelTask', { id: 'nope' })).toBe(-32001);
  });
});

describe('push notification configs', () => {
  it('creates, gets, lists and deletes (twice) a config, also on a completed task', async () => {
    const done = await blocking('SendMessage', {
      message: userMessage('x', { messageId: `tck-complete-task-p${Date.now()}` }),
    });
    const taskId = done.task.id;
    const created = await result('CreateTaskPushNotificationConfig', {
      taskId,
      url: 'https://hooks.example.com/a2a',
      authentication: { scheme: 'Bearer', credentials: 'secret-1' },
    });
    expect(created.id).toBeTruthy();
    expect(await result('GetTaskPushNotificationConfig', { taskId, id: created.id })).toEqual(created);
    expect((await result('ListTaskPushNotificationConfigs', { taskId })).configs).toEqual([created]);
    await result('DeleteTaskPushNotificationConfig', { taskId, id: created.id });
    await result('DeleteTaskPushNotificationConfig', { taskId, id: created.id });
    expect(await errorCode('GetTaskPushNotificationConfig', { taskId, id: created.id })).toBe(-32001);
  });

  it('stores an inline config from SendMessage', async () => {
    const { task } = await submit(
      'inline',
      {},
      { taskPushNotificationConfig: { url: 'https://hooks.example.com/in', id: 'inline-1' } },
    );
    const list = await result('ListTaskPushNotificationConfigs', { taskId: task.id });
    expect(list.configs).toEqual([
      {
        id: 'inline-1',
        taskId: task.id,
        url: 'https://hooks.example.com/in',
        metadata: { delivery: { lastDeliveredSeq: 0, consecutiveFailures: 0, suspended: false } },
      },
    ]);
    h.queue.take();
  });

  it('refuses CR/LF in credentials', async () => {
    const { task } = await submit('crlf');
    const code = await errorCode('CreateTaskPushNotificationConfig', {
      taskId: task.id,
      url: 'https://hooks.example.com/a',
      authentication: { scheme: 'Bearer', credentials: 'x\r\nX-Evil: 1' },
    });
    expect(code).toBe(-32602);
    h.queue.take();
  });
});
