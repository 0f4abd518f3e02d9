/**
 * Transport equivalence: the same sequence of A2A calls, once through JSON-RPC and once through
 * HTTP+JSON (each in its own tenant, on one local stack over DynamoDB Local), must leave the same
 * tasks, the same event logs and the same push deliveries once ids and times are normalized.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemContext } from '../../core/context';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { testDataDir } from '../support/temp-dir';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

let stack: LocalStack;
let hook: Receiver;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `equiv-${Date.now()}` },
    dataDir: testDataDir('equiv'),
    logger: pino({ level: 'silent' }),
    resubscribeWaitMs: 300,
    pollWaitSeconds: 1,
    push: { maxAttempts: 3, backoff: { baseSeconds: 1, maxSeconds: 1 }, timeoutMs: 1000, pollWaitSeconds: 1 },
  });
  hook = await startReceiver();
});
afterAll(async () => {
  await stack?.stop();
  await hook?.close();
});

type Json = Record<string, unknown>;
/** One A2A operation: the v1.0 method, its params, and the agent it goes to. */
type Call = (method: string, params: Json, agent: string) => Promise<unknown>;

function jsonRpc(token: string): Call {
  return async (method, params, agent) => {
    const res = await fetch(`${stack.url}/agents/${agent}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'a2a-version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const text = await res.text();
    if (res.headers.get('content-type')?.startsWith('text/event-stream'))
      return sseData(text).map((d) => d.result);
    const body = JSON.parse(text) as { result?: unknown; error?: unknown };
    if (body.error) throw new Error(JSON.stringify(body.error));
    return body.result;
  };
}

function rest(token: string): Call {
  return async (method, params, agent) => {
    const base = `${stack.url}/agents/${agent}`;
    const { id, taskId, ...rest } = params as Json & { id?: string; taskId?: string };
    const [verb, path, body]: [string, string, Json | undefined] = (() => {
      switch (method) {
        case 'SendMessage':
          return ['POST', '/message:send', params];
        case 'SendStreamingMessage':
          return ['POST', '/message:stream', params];
        case 'GetTask':
          return ['GET', `/tasks/${id}?${query(rest)}`, undefined];
        case 'ListTasks':
          return ['GET', `/tasks?${query(rest)}`, undefined];
        case 'CancelTask':
          return ['POST', `/tasks/${id}:cancel`, {}];
        case 'CreateTaskPushNotificationConfig':
          return ['POST', `/tasks/${taskId}/pushNotificationConfigs`, rest];
        case 'ListTaskPushNotificationConfigs':
          return ['GET', `/tasks/${taskId}/pushNotificationConfigs`, undefined];
        default:
          throw new Error(`no REST mapping for ${method}`);
      }
    })();
    const res = await fetch(base + path, {
      method: verb,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'a2a-version': '1.0' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) return sseData(text);
    if (res.status >= 400) throw new Error(text);
    return JSON.parse(text);
  };
}

const query = (params: Json) =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

const sseData = (text: string): Json[] =>
  text
    .split('\n\n')
    .map((frame) => frame.split('\n').find((l) => l.startsWith('data:')))
    .filter((l): l is string => l !== undefined)
    .map((l) => JSON.parse(l.slice(5)) as Json);

const msg = (messageId: string, text: string, extra: Json = {}) => ({
  message: { messageId, role: 'ROLE_USER', parts: [{ text }], ...extra },
});
const taskOf = (r: unknown) => (r as { task: { id: string; contextId: string } }).task;

/** The scenario: every kind of call, each answer kept in order. */
async function scenario(call: Call): Promise<{ answers: unknown[]; taskIds: string[] }> {
  const answers: unknown[] = [];
  const keep = <T>(v: T): T => {
    answers.push(v);
    return v;
  };
  const echoed = taskOf(keep(await call('SendMessage', msg('eq-1', 'hello'), 'echo')));
  keep(await call('SendStreamingMessage', msg('eq-2', 'streamed'), 'echo'));
  const open = taskOf(keep(await call('SendMessage', msg('tck-input-required-eq-3', 'wait'), 'conformance')));
  keep(
    await call(
      'CreateTaskPushNotificationConfig',
      { taskId: open.id, url: `${hook.origin}/equiv`, token: 'eq-token' },
      'conformance',
    ),
  );
  keep(await call('ListTaskPushNotificationConfigs', { taskId: open.id }, 'conformance'));
  keep(
    await call(
      'SendMessage',
      msg('eq-4', 'follow-up', { taskId: open.id, contextId: open.contextId }),
      'conformance',
    ),
  );
  // Right after the blocking follow-up: the run that asked for input may still hold its lease.
  const canceled = keep(await call('CancelTask', { id: open.id }, 'conformance'));
  expect(JSON.stringify(canceled)).toContain('TASK_STATE_CANCELED');
  keep(await call('GetTask', { id: echoed.id, historyLength: 1 }, 'echo'));
  keep(await call('ListTasks', { pageSize: 10 }, 'echo'));
  return { answers, taskIds: [echoed.id, open.id] };
}

/** Ids and times become ordinal placeholders, in order of first appearance. */
function normalize(value: unknown): unknown {
  const seen = new Map<string, string>();
  const text = JSON.stringify(value)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!seen.has(id)) seen.set(id, `<id${seen.size}>`);
      return seen.get(id) as string;
    })
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/"(pageToken|nextPageToken)":"[^"]+"/g, '"$1":"<token>"');
  return JSON.parse(text);
}

async function run(tenant: string, binding: (token: string) => Call) {
  const token = await stack.issuer.mint({
    tenant,
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'],
  });
  const { answers, taskIds } = await scenario(binding(token));
  const ctx = systemContext(tenant, 'equivalence');
  const logs = await Promise.all(taskIds.map((id) => stack.store.readEvents(ctx, id, 0)));
  const openId = taskIds[1] as string;
  // the events of the open task after the config was made reach the webhook, to CANCELED
  const delivered = () =>
    hook.requests
      .filter((r) => r.url === '/equiv' && r.body.toString().includes(openId))
      .map((r) => JSON.parse(r.body.toString()) as Json);
  await expect
    .poll(() => delivered().some((d) => JSON.stringify(d).includes('TASK_STATE_CANCELED')), {
      timeout: 20_000,
    })
    .toBe(true);
  return { answers, logs, deliveries: delivered() };
}

describe('JSON-RPC and HTTP+JSON are equivalent', () => {
  it('leave the same tasks, events and push deliveries for the same calls', async () => {
    const viaRpc = await run('equiv-rpc', jsonRpc);
    const viaRest = await run('equiv-rest', rest);
    expect(viaRest.answers).toHaveLength(9);
    expect(normalize(viaRest.answers)).toEqual(normalize(viaRpc.answers));
    expect(normalize(viaRest.logs)).toEqual(normalize(viaRpc.logs));
    expect(normalize(viaRest.deliveries)).toEqual(normalize(viaRpc.deliveries));
    expect(viaRest.deliveries.length).toBeGreaterThan(0);
  });
});
