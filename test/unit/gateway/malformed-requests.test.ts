import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await gatewayHarness();
  token = await h.token();
});
afterAll(() => h.close());

const METHODS = [
  'SendMessage',
  'GetTask',
  'ListTasks',
  'CancelTask',
  'CreateTaskPushNotificationConfig',
  'GetTaskPushNotificationConfig',
  'ListTaskPushNotificationConfigs',
  'DeleteTaskPushNotificationConfig',
  'nope',
  'tasks/get',
];

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    '\u0000',
    '\ud800',
    '',
    'null',
    -1,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
  ),
);

const request = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), hostileValue),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), hostileValue),
    method: fc.oneof(fc.constantFrom(...METHODS), hostileValue),
    params: fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'id',
          'task_id',
          'taskId',
          'message',
          'pageSize',
          'history_length',
          'configuration',
          'url',
          '__proto__',
          'constructor',
        ),
        hostileValue,
      ),
      hostileValue,
    ),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  request.map((r) => JSON.stringify(r)),
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '',
    '{',
    '[]',
    'null',
    '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"a","id":"b"}}',
    '{"a":'.repeat(500),
  ),
);

describe('malformed and hostile requests', () => {
  it('get a JSON-RPC error (never a 5xx, never a crash) for a few hundred generated bodies', async () => {
    const seenCodes = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('application/json', 'text/plain', 'application/a2a+json', ''),
        async (payload, ct) => {
          const res = await h.app.inject({
            method: 'POST',
            url: '/agents/conformance',
            headers: { 'content-type': ct, 'a2a-version': '1.0', authorization: `Bearer ${token}` },
            payload,
          });
          expect(res.statusCode).toBeLessThan(500);
          const json = res.json();
          expect(json.jsonrpc).toBe('2.0');
          if (json.error) {
            expect(Number.isInteger(json.error.code)).toBe(true);
            seenCodes.add(json.error.code);
          } else {
            expect(json).toHaveProperty('result');
          }
        },
      ),
      { numRuns: 400, seed: 20261121 },
    );
    for (const code of [-32700, -32600, -32601, -32602, -32005]) expect(seenCodes).toContain(code);
    h.queue.take();
  });
});
