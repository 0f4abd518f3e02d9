import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
let acme: string;
let globex: string;
let taskId: string;
let configId: string;

beforeAll(async () => {
  h = await gatewayHarness({}, { streaming: {} });
  acme = await h.token({ tenant: 'acme', subject: 'alice' });
  globex = await h.token({ tenant: 'globex', subject: 'alice' });
  const sent = (
    await h.rpc(
      'SendMessage',
      { message: userMessage('secret'), configuration: { returnImmediately: true } },
      { token: acme },
    )
  ).json();
  taskId = sent.result.task.id;
  const cfg = (
    await h.rpc(
      'CreateTaskPushNotificationConfig',
      { taskId, url: 'https://hooks.example.com/x' },
      { token: acme },
    )
  ).json();
  configId = cfg.result.id;
});
afterAll(() => h.close());

describe('tenant isolation', () => {
  const cases: [string, () => Record<string, unknown>][] = [
    ['GetTask', () => ({ id: taskId })],
    ['CancelTask', () => ({ id: taskId })],
    ['SubscribeToTask', () => ({ id: taskId })],
    ['SendMessage', () => ({ message: userMessage('follow', { taskId }) })],
    ['CreateTaskPushNotificationConfig', () => ({ taskId, url: 'https://hooks.example.com/y' })],
    ['GetTaskPushNotificationConfig', () => ({ taskId, id: configId })],
    ['ListTaskPushNotificationConfigs', () => ({ taskId })],
    ['DeleteTaskPushNotificationConfig', () => ({ taskId, id: configId })],
  ];

  it.each(cases)(
    "%s on another tenant's task answers exactly like an unknown task",
    async (method, params) => {
      const foreign = (await h.rpc(method, params(), { token: globex, id: 1 })).json();
      const unknown = (
        await h.rpc(method, JSON.parse(JSON.stringify(params()).replaceAll(taskId, 'no-such-task')), {
          token: globex,
          id: 1,
        })
      ).json();
      expect(foreign.error.code).toBe(-32001);
      expect(foreign.error.code).toBe(unknown.error.code);
      expect(foreign.error.message.replaceAll(taskId, '<id>')).toBe(
        unknown.error.message.replaceAll('no-such-task', '<id>'),
      );
    },
  );

  it('ListTasks shows a tenant only its own tasks', async () => {
    const mine = (await h.rpc('ListTasks', {}, { token: acme })).json().result;
    const theirs = (await h.rpc('ListTasks', {}, { token: globex })).json().result;
    expect(mine.tasks.map((t: { id: string }) => t.id)).toContain(taskId);
    expect(theirs.tasks).toEqual([]);
    expect(theirs.totalSize).toBe(0);
  });

  it('leaves the task and its config untouched after the foreign attempts', async () => {
    const task = (await h.rpc('GetTask', { id: taskId }, { token: acme })).json().result;
    expect(task.status.state).toBe('TASK_STATE_SUBMITTED');
    const configs = (await h.rpc('ListTaskPushNotificationConfigs', { taskId }, { token: acme })).json()
      .result.configs;
    expect(configs.map((c: { id: string }) => c.id)).toEqual([configId]);
  });

  it("does not dedupe one tenant's messageId against another's", async () => {
    const message = userMessage('same id');
    const a = (
      await h.rpc('SendMessage', { message, configuration: { returnImmediately: true } }, { token: acme })
    ).json();
    const b = (
      await h.rpc('SendMessage', { message, configuration: { returnImmediately: true } }, { token: globex })
    ).json();
    expect(a.result.task.id).not.toBe(b.result.task.id);
  });

  it("shows push credentials and the URL's path only to the subject that registered them", async () => {
    const bob = await h.token({ tenant: 'acme', subject: 'bob' });
    await h.rpc(
      'CreateTaskPushNotificationConfig',
      {
        taskId,
        id: 'with-creds',
        url: 'https://hooks.example.com/z',
        token: 'tok',
        authentication: { scheme: 'Bearer', credentials: 'hunter2' },
      },
      { token: acme },
    );
    const asBob = (
      await h.rpc('GetTaskPushNotificationConfig', { taskId, id: 'with-creds' }, { token: bob })
    ).json().result;
    expect(asBob).toEqual({
      id: 'with-creds',
      taskId,
      url: 'https://hooks.example.com/…',
      authentication: { scheme: 'Bearer' },
      metadata: {
        delivery: { lastDeliveredSeq: expect.any(Number), consecutiveFailures: 0, suspended: false },
      },
    });
    expect(JSON.stringify(asBob)).not.toContain('hunter2');
    expect(asBob).not.toHaveProperty('token');
    const asAlice = (
      await h.rpc('GetTaskPushNotificationConfig', { taskId, id: 'with-creds' }, { token: acme })
    ).json().result;
    expect(asAlice.authentication.credentials).toBe('hunter2');
  });
});
