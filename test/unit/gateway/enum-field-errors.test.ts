/**
 * -32602 for an enum-like field names the accepted values and, for the other protocol version's
 * spelling, says which version it belongs to.
 */

import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileValidator } from '../../../core/validation/validator';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness();
});
afterAll(() => h.close());

interface RpcError {
  code: number;
  message: string;
  data: { '@type': string; fieldViolations?: { field: string; description: string }[] }[];
}
const rpcError = async (method: string, params: unknown, version: string | null): Promise<RpcError> =>
  (await h.rpc(method, params, { version })).json().error;
const violations = (e: RpcError) =>
  e.data.find((d) => d['@type'].endsWith('google.rpc.BadRequest'))?.fieldViolations;

const STATES =
  'TASK_STATE_SUBMITTED, TASK_STATE_WORKING, TASK_STATE_INPUT_REQUIRED, TASK_STATE_AUTH_REQUIRED, ' +
  'TASK_STATE_COMPLETED, TASK_STATE_FAILED, TASK_STATE_CANCELED, TASK_STATE_REJECTED';

describe('errors for enum-like fields', () => {
  it('names the 1.0 roles for a v1.0 SendMessage with the 0.3 role "user"', async () => {
    const message = { messageId: 'm-1', role: 'user', parts: [{ text: 'x' }] };
    const e = await rpcError('SendMessage', { message }, '1.0');
    expect(e.code).toBe(-32602);
    const expected =
      'must be one of ROLE_USER, ROLE_AGENT (got "user", the A2A 0.3 spelling: in 1.0 it is ROLE_USER)';
    expect(e.message).toBe(`message.role ${expected}`);
    expect(violations(e)).toEqual([{ field: 'message.role', description: expected }]);
    expect(h.queue.sent).toHaveLength(0);
  });

  it('names the 1.0 task states for a ListTasks with the 0.3 status "completed"', async () => {
    const e = await rpcError('ListTasks', { status: 'completed' }, '1.0');
    expect(e.code).toBe(-32602);
    expect(e.message).toBe(
      `status must be one of ${STATES} (got "completed", the A2A 0.3 spelling: in 1.0 it is TASK_STATE_COMPLETED)`,
    );
  });

  it('names the 0.3 roles for a 0.3 message/send with the 1.0 role ROLE_USER', async () => {
    const message = {
      kind: 'message',
      messageId: 'm-1',
      role: 'ROLE_USER',
      parts: [{ kind: 'text', text: 'x' }],
    };
    const e = await rpcError('message/send', { message }, null);
    expect(e.code).toBe(-32602);
    expect(e.message).toBe(
      'message.role must be one of user, agent (got "ROLE_USER", the A2A 1.0 spelling: in 0.3 it is user)',
    );
  });

  it('names the accepted values of a missing or unknown value, once per field', async () => {
    const missing = await rpcError(
      'SendMessage',
      { message: { messageId: 'm-1', parts: [{ text: 'x' }] } },
      '1.0',
    );
    expect(missing.message).toBe('message.role must be one of ROLE_USER, ROLE_AGENT (it is missing)');
    expect(violations(missing)).toHaveLength(1);
    const unknown = await rpcError('ListTasks', { status: 'done' }, '1.0');
    expect(unknown.message).toBe(`status must be one of ${STATES} (got "done")`);
  });

  it('describes a single literal and non-string input without echoing it at length', () => {
    const v = compileValidator(
      Type.Object({
        kind: Type.Literal('message'),
        mode: Type.Union([Type.Literal('a'), Type.Literal('b')]),
      }),
    );
    expect(() => v.parse({ kind: 'task', mode: 'a' })).toThrow('kind must be message (got "task")');
    expect(() => v.parse({ kind: 'message', mode: { x: 1 } })).toThrow(
      'mode must be one of a, b (got an object)',
    );
    expect(() => v.parse({ kind: 'message', mode: 'x'.repeat(1000) })).toThrow(`(got "${'x'.repeat(64)}…")`);
  });
});
