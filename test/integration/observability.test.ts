/**
 * One task's life as an operator sees it: log lines with the shared field names, one trace id
 * across gateway, queue, worker and webhook, EMF metric lines, the local debug route, and no
 * secret (token, push credentials) in any captured line.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '../../adapters/logging/logger';
import { emfMetrics } from '../../adapters/metrics/emf-metrics';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { testDataDir } from '../support/temp-dir';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CREDENTIALS = 'hunter2-push-credential';
const PUSH_TOKEN = 'tok-notification-secret';

let stack: LocalStack;
let receiver: Receiver;
let token: string;
let taskId: string;

const json = () =>
  lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${stack.url}/agents/conformance`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'a2a-version': '1.0',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    dataDir: testDataDir('obs'),
    logger: pino(
      { level: 'debug', base: {}, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
      capture,
    ),
    metrics: emfMetrics({ service: 'local', write: (l) => lines.push(l) }),
    pollWaitSeconds: 1,
  });
  token = await stack.issuer.mint({
    tenant: 'obs',
    subject: 'ops',
    scopes: ['tasks:submit', 'tasks:read', 'webhooks:manage'],
  });
  const res = await post(
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: {
        message: {
          messageId: `tck-complete-task-${Date.now()}`,
          role: 'ROLE_USER',
          parts: [{ text: 'trace me' }],
        },
        configuration: {
          taskPushNotificationConfig: {
            url: `${receiver.origin}/hook`,
            token: PUSH_TOKEN,
            authentication: { scheme: 'Bearer', credentials: CREDENTIALS },
          },
        },
      },
    },
    { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
  );
  taskId = ((await res.json()) as { result: { task: { id: string } } }).result.task.id;
  const end = Date.now() + 15_000;
  while (
    !receiver.requests.some((r) => r.body.toString().includes('TASK_STATE_COMPLETED')) &&
    Date.now() < end
  ) {
    await new Promise((r) => setTimeout(r, 25));
  }
  await post({ jsonrpc: '2.0', id: 2, method: 'NoSuchMethod', params: {} });
  await post(
    { jsonrpc: '2.0', id: 3, method: 'GetTask', params: { id: taskId } },
    { authorization: 'Bearer not-a-token' },
  );
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

describe('observability of one task', () => {
  it('keeps one trace id across the gateway, the queue hop to the worker, and the webhook', () => {
    const logs = json();
    const created = logs.find((l) => l.msg === 'task created');
    expect(created).toMatchObject({ service: 'gateway', tenant: 'obs', taskId, traceId: TRACE_ID });
    const handled = logs.find((l) => l.msg === 'work message handled' && l.taskId === taskId);
    expect(handled).toMatchObject({ service: 'agent-worker', tenant: 'obs', traceId: TRACE_ID, attempt: 1 });
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const r of receiver.requests)
      expect(String(r.headers.traceparent)).toMatch(new RegExp(`^00-${TRACE_ID}-`));
  });

  it('logs the shared field names on gateway lines', () => {
    const rpc = json().find((l) => l.msg === 'call answered' && l.method === 'SendMessage');
    expect(rpc).toMatchObject({
      service: 'gateway',
      method: 'SendMessage',
      tenant: 'obs',
      traceId: TRACE_ID,
    });
    expect(rpc?.requestId).toEqual(expect.any(String));
  });

  it('logs the same fields for an HTTP+JSON call, with its binding', async () => {
    const res = await fetch(`${stack.url}/agents/conformance/tasks/${taskId}`, {
      headers: { authorization: `Bearer ${token}`, traceparent: `00-${TRACE_ID}-00f067aa0ba902b8-01` },
    });
    expect(res.status).toBe(200);
    const rest = json().find((l) => l.msg === 'call answered' && l.binding === 'HTTP+JSON');
    expect(rest).toMatchObject({ service: 'gateway', method: 'GetTask', tenant: 'obs', traceId: TRACE_ID });
    expect(rest?.requestId).toEqual(expect.any(String));
  });

  it('writes EMF metric lines for the task, the push, errors and auth denials', () => {
    const metrics = json().filter((l) => l._aws !== undefined);
    const named = (name: string) => metrics.filter((m) => name in m);
    expect(named('TasksCreated')).toHaveLength(1);
    expect(named('TasksFinished')[0]).toMatchObject({ state: 'TASK_STATE_COMPLETED', agent: 'conformance' });
    expect(named('QueueWaitMs').length).toBeGreaterThan(0);
    expect(named('RunDurationMs').length).toBeGreaterThan(0);
    expect(named('PushAttempts').length).toBe(receiver.requests.length);
    expect(named('PushLatencyMs').length).toBe(receiver.requests.length);
    expect(named('JsonRpcErrors').map((m) => m.code)).toContain('-32601');
    expect(named('AuthDenials').map((m) => m.reason)).toContain('invalid_token');
    const sample = named('TasksCreated')[0] as {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    };
    expect(sample._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'A2AGateway',
      Dimensions: [['service'], ['service', 'agent']],
    });
  });

  it('shows the task on the local debug route, without credentials', async () => {
    const res = await fetch(`${stack.url}/debug/tasks/${taskId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as {
      events: { seq: number; at: string }[];
      pushConfigs: { delivery: { lastDeliveredSeq: number } }[];
    };
    expect(body.events.map((e) => e.seq)).toEqual(body.events.map((_, i) => i + 1));
    expect(body.pushConfigs[0]?.delivery.lastDeliveredSeq).toBe(body.events.length);
    expect(JSON.stringify(body)).not.toContain(CREDENTIALS);
    expect((await fetch(`${stack.url}/debug/tasks/${taskId}`)).status).toBe(401);
  });

  it('never writes a token, push credential or notification token to any line', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(CREDENTIALS);
      expect(line).not.toContain(PUSH_TOKEN);
    }
  });
});
