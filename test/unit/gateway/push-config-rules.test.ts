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
