/** Input the official SDKs let through is refused with -32602 in both protocol versions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness({}, { streaming: {} });
});
afterAll(() => h.close());

const code = async (method: string, params: unknown, version: string | null) =>
  (await h.rpc(method, params, { version })).json().error?.code as number | undefined;

const v1 = (message: Record<string, unknown>) => ({ messageId: 'm-1', role: 'ROLE_USER', ...message });
const v03 = (message: Record<string, unknown>) => ({
  kind: 'message',
  messageId: 'm-1',
  role: 'user',
  ...message,
});

describe('stricter than the SDKs', () => {
  it.each([
    ['empty parts', v1({ parts: [] }), v03({ parts: [] })],
    [
      'a missing role',
      { messageId: 'm-1', parts: [{ text: 'x' }] },
      { kind: 'message', messageId: 'm-1', parts: [{ kind: 'text', text: 'x' }] },
    ],
    [
      'an unknown part kind',
      v1({ parts: [{ image: 'x' }] }),
      v03({ parts: [{ kind: 'image', image: 'x' }] }),
    ],
    [
      'a part of a known kind without its content',
      v1({ parts: [{ mediaType: 'text/plain' }] }),
      v03({ parts: [{ kind: 'file', file: {} }] }),
    ],
  ])('answers -32602 for %s, in 1.0 and in 0.3, also on the streaming methods', async (_name, m1, m03) => {
    expect(await code('SendMessage', { message: m1 }, '1.0')).toBe(-32602);
    expect(await code('SendStreamingMessage', { message: m1 }, '1.0')).toBe(-32602);
    expect(await code('message/send', { message: m03 }, null)).toBe(-32602);
    expect(await code('message/stream', { message: m03 }, null)).toBe(-32602);
    expect(h.queue.sent).toHaveLength(0);
  });

  it('answers -32602 for a negative historyLength in 1.0 and in 0.3', async () => {
    expect(await code('GetTask', { id: 'any', historyLength: -1 }, '1.0')).toBe(-32602);
    expect(await code('tasks/get', { id: 'any', historyLength: -1 }, null)).toBe(-32602);
    const m1 = v1({ parts: [{ text: 'x' }] });
    expect(await code('SendMessage', { message: m1, configuration: { historyLength: -1 } }, '1.0')).toBe(
      -32602,
    );
    const m03 = v03({ parts: [{ kind: 'text', text: 'x' }] });
    expect(await code('message/send', { message: m03, configuration: { historyLength: -1 } }, null)).toBe(
      -32602,
    );
  });

  it('names the offending field in BadRequest field violations', async () => {
    const body = (
      await h.rpc(
        'message/send',
        { message: v03({ parts: [{ kind: 'file', file: {} }] }) },
        { version: null },
      )
    ).json();
    const badRequest = body.error.data.find((d: { '@type': string }) =>
      d['@type'].endsWith('google.rpc.BadRequest'),
    );
    expect(badRequest.fieldViolations[0].field).toBe('message.parts[0].file');
  });

  it('refuses a 0.3 agent-role message and credentials without a scheme', async () => {
    expect(
      await code(
        'message/send',
        { message: v03({ role: 'agent', parts: [{ kind: 'text', text: 'x' }] }) },
        null,
      ),
    ).toBe(-32602);
    const config = { url: 'https://hooks.example.com/x', authentication: { schemes: [], credentials: 'c' } };
    expect(
      await code('tasks/pushNotificationConfig/set', { taskId: 't', pushNotificationConfig: config }, null),
    ).toBe(-32602);
  });
});
