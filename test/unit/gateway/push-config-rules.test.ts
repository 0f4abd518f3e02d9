/** What CreateTaskPushNotificationConfig and inline configs accept: header-safe values. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness, userMessage } from '../../support/gateway-harness';

let h: Harness;
let taskId: string;

beforeAll(async () => {
  h = await gatewayHarness();
  const sent = (
    await h.rpc('SendMessage', { message: userMessage('hi'), configuration: { returnImmediately: true } })
  ).json();
  taskId = sent.result.task.id;
});
afterAll(() => h.close());

type RpcError = { code: number; message: string; data: Record<string, unknown>[] };
const violations = (e: RpcError) =>
  (e.data.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.BadRequest')?.fieldViolations ?? []) as {
    field: string;
    description: string;
  }[];

describe('push config header values', () => {
  const url = 'https://hooks.example.com/a2a';
  it.each([
    ['a token with an emoji', { token: '💥' }, 'token'],
    ['a token with a control character', { token: 'a\u0001b' }, 'token'],
    ['a token with obs-text', { token: 'caf\u00e9' }, 'token'],
    ['a token of 4097 characters', { token: 'x'.repeat(4097) }, 'token'],
    [
      'credentials with an emoji',
      { authentication: { scheme: 'Bearer', credentials: '💥' } },
      'authentication.credentials',
    ],
    [
      'credentials with a tab',
      { authentication: { scheme: 'Bearer', credentials: 'a\tb' } },
      'authentication.credentials',
    ],
    [
      'a scheme with CR/LF',
      { authentication: { scheme: 'Bearer\r\nX-Injected: 1', credentials: 'abc' } },
      'authentication.scheme',
    ],
    [
      'a scheme with a space',
      { authentication: { scheme: 'Bearer x', credentials: 'abc' } },
      'authentication.scheme',
    ],
    [
      'credentials with a trailing space',
      { authentication: { scheme: 'Basic', credentials: 'abc ' } },
      'authentication.credentials',
    ],
  ])('refuses %s with -32602 naming the field', async (_what, extra, field) => {
    const res = (await h.rpc('CreateTaskPushNotificationConfig', { taskId, url, ...extra })).json();
    expect(res.error.code).toBe(-32602);
    expect(res.error.message).toContain(field);
    // the schema (maxLength) or the header rule answers; either names the field
    expect(violations(res.error).map((v) => v.field.replace(/^params\./, ''))).toEqual([field]);
    expect(JSON.stringify(res.error)).not.toContain('\u0001');
    const inline = (
      await h.rpc('SendMessage', {
        message: userMessage('x'),
        configuration: { returnImmediately: true, taskPushNotificationConfig: { url, ...extra } },
      })
    ).json();
    expect(inline.error.code).toBe(-32602);
    expect(violations(inline.error).map((v) => v.field)).toEqual([
      expect.stringMatching(new RegExp(`taskPushNotificationConfig\\.${field.replace('.', '\\.')}$`)),
    ]);
  });

  it('accepts visible ASCII with inner spaces up to 4096 characters', async () => {
    const res = (
      await h.rpc('CreateTaskPushNotificationConfig', {
        taskId,
        url,
        token: 't'.repeat(4096),
        authentication: { scheme: 'Custom', credentials: 'realm="x", key=a+b/c==' },
      })
    ).json();
    expect(res.error).toBeUndefined();
    expect(res.result.authentication.credentials).toBe('realm="x", key=a+b/c==');
  });
});

const reasonOf = (e: RpcError) => e.data.find((d) => String(d['@type']).endsWith('ErrorInfo'))?.reason;

describe('push config ownership', () => {
  it("lets another subject neither replace nor delete a config, and shows it only the URL's origin", async () => {
    const bob = await h.token({ tenant: 'acme', subject: 'bob' });
    const alice = await h.token({ tenant: 'acme', subject: 'alice' });
    const secretUrl = 'https://hooks.example.com/services/T000/B000/s3cr3t?sig=abc';
    const created = (
      await h.rpc(
        'CreateTaskPushNotificationConfig',
        {
          taskId,
          id: 'alice-hook',
          url: secretUrl,
          token: 'tok',
          authentication: { scheme: 'Bearer', credentials: 'c' },
        },
        { token: alice },
      )
    ).json();
    expect(created.result.url).toBe(secretUrl);

    const hijack = (
      await h.rpc(
        'CreateTaskPushNotificationConfig',
        { taskId, id: 'alice-hook', url: 'https://evil.example.com/collect' },
        { token: bob },
      )
    ).json();
    expect(hijack.error.code).toBe(-32602);
    expect(reasonOf(hijack.error)).toBe('PUSH_CONFIG_NOT_OWNED');
    const del = (
      await h.rpc('DeleteTaskPushNotificationConfig', { taskId, id: 'alice-hook' }, { token: bob })
    ).json();
    expect(del.error.code).toBe(-32602);
    expect(reasonOf(del.error)).toBe('PUSH_CONFIG_NOT_OWNED');

    const asAlice = (
      await h.rpc('GetTaskPushNotificationConfig', { taskId, id: 'alice-hook' }, { token: alice })
    ).json();
    expect(asAlice.result).toMatchObject({ url: secretUrl, token: 'tok' });
    const asBob = (
      await h.rpc('GetTaskPushNotificationConfig', { taskId, id: 'alice-hook' }, { token: bob })
    ).json();
    expect(asBob.result.url).toBe('https://hooks.example.com/…');
    const listed = (await h.rpc('ListTaskPushNotificationConfigs', { taskId }, { token: bob })).json();
    const text = JSON.stringify(listed.result);
    for (const secret of ['s3cr3t', 'sig=abc', '/services/', '"tok"', '"c"'])
      expect(text).not.toContain(secret);

    const own = (
      await h.rpc(
        'CreateTaskPushNotificationConfig',
        { taskId, id: 'alice-hook', url: 'https://hooks.example.com/new' },
        { token: alice },
      )
    ).json();
    expect(own.result.url).toBe('https://hooks.example.com/new');
    expect(
      (await h.rpc('DeleteTaskPushNotificationConfig', { taskId, id: 'alice-hook' }, { token: alice })).json()
        .error,
    ).toBeUndefined();
  });
});

describe('push configs per task', () => {
  it('refuses the 11th config of a task by default, with -32602 PUSH_CONFIG_LIMIT_EXCEEDED', async () => {
    const sent = (
      await h.rpc('SendMessage', { message: userMessage('cap'), configuration: { returnImmediately: true } })
    ).json();
    const id = sent.result.task.id;
    const create = (n: number) =>
      h.rpc('CreateTaskPushNotificationConfig', {
        taskId: id,
        id: `c${n}`,
        url: `https://hooks.example.com/${n}`,
      });
    for (let n = 1; n <= 10; n++) expect((await create(n)).json().error).toBeUndefined();
    const refused = (await create(11)).json();
    expect(refused.error.code).toBe(-32602);
    expect(reasonOf(refused.error)).toBe('PUSH_CONFIG_LIMIT_EXCEEDED');
    expect(refused.error.message).toContain('10');
    expect((await create(3)).json().error).toBeUndefined(); // replacing one of yours is not a new one
    const listed = (await h.rpc('ListTaskPushNotificationConfigs', { taskId: id })).json();
    expect(listed.result.configs).toHaveLength(10);
  });

  it('counts the inline config of SendMessage and honours a configured cap', async () => {
    const small = await gatewayHarness({ maxPushConfigsPerTask: 2 });
    try {
      const sent = (
        await small.rpc('SendMessage', {
          message: userMessage('inline'),
          configuration: {
            returnImmediately: true,
            taskPushNotificationConfig: { url: 'https://hooks.example.com/i' },
          },
        })
      ).json();
      const id = sent.result.task.id;
      const create = (n: number) =>
        small.rpc('CreateTaskPushNotificationConfig', { taskId: id, url: `https://hooks.example.com/${n}` });
      expect((await create(1)).json().error).toBeUndefined();
      expect(reasonOf((await create(2)).json().error)).toBe('PUSH_CONFIG_LIMIT_EXCEEDED');
    } finally {
      await small.close();
    }
  });
});
