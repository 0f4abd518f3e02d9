/**
 * Push delivery end to end: the local stack on DynamoDB Local, real webhook receivers on loopback,
 * signatures checked with the shipped verifier against the served JWKS.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_PUSH_ISSUER } from '../../adapters/push/push-signer';
import { rotateSigningKeysFile } from '../../adapters/push/push-signing-keys';
import { createPushVerifier } from '../../adapters/push/verify-push-notification';
import { systemContext } from '../../core/context';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import {
  type ReceivedRequest,
  type Receiver,
  refusedPort,
  startReceiver,
} from '../support/webhook-receivers';

let stack: LocalStack;
let dataDir: string;
let token: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'push-'));
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `push-${Date.now()}` },
    dataDir,
    logger: pino({ level: 'silent' }),
    resubscribeWaitMs: 300,
    pollWaitSeconds: 1,
    push: { maxAttempts: 4, backoff: { baseSeconds: 1, maxSeconds: 1 }, timeoutMs: 500, pollWaitSeconds: 1 },
  });
  token = await stack.issuer.mint({
    tenant: 'push',
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'],
  });
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

async function rpc(method: string, params: unknown, agent = 'conformance') {
  const res = await fetch(`${stack.url}/agents/${agent}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'a2a-version': '1.0' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as {
    result?: Record<string, unknown> & { task?: { id: string } };
    error?: unknown;
  };
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result as Record<string, unknown> & { task: { id: string; status: { state: string } } };
}

/** The task's event log as stored: what every config must receive, in this order. */
const eventLog = (taskId: string) => stack.store.readEvents(systemContext('push', 'test'), taskId, 0);

async function receiver(handler?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(handler);
  receivers.push(r);
  return r;
}

const until = (what: string, fn: () => boolean, timeout = 15_000) =>
  expect.poll(fn, { timeout, interval: 25, message: `timed out waiting for ${what}` }).toBe(true);

const parse = (r: ReceivedRequest) =>
  JSON.parse(r.body.toString('utf8')) as Record<string, { status?: { state: string } }>;
const seqOf = (r: ReceivedRequest) =>
  JSON.parse(Buffer.from(String(r.headers['x-a2a-signature']).split('.')[1] ?? '', 'base64url').toString())
    .seq as number;
const states = (reqs: ReceivedRequest[]) =>
  reqs.map((r) => parse(r).statusUpdate?.status?.state ?? Object.keys(parse(r))[0]);

/** Sends a message with an inline webhook config and waits for the final delivery. */
async function sendWithWebhook(r: Receiver, messageId: string, extra: Record<string, unknown> = {}) {
  return rpc('SendMessage', {
    message: { messageId, role: 'ROLE_USER', parts: [{ text: 'hi' }] },
    configuration: {
      returnImmediately: true,
      taskPushNotificationConfig: { url: `${r.origin}/hook`, ...extra },
    },
  });
}

describe('push notifications', () => {
  it('deliver every event in seq order, signed, with the configured Authorization header', async () => {
    const r = await receiver();
    const { task } = await sendWithWebhook(r, `tck-stream-001-${Date.now()}`, {
      authentication: { scheme: 'Bearer', credentials: 'hook-secret' },
    });
    await until('COMPLETED delivery', () => states(r.requests).includes('TASK_STATE_COMPLETED'));
    const log = await eventLog(task.id);
    expect(r.requests.map(seqOf)).toEqual(log.map((e) => e.seq));
    expect(states(r.requests)).toEqual(
      log.map((e) => (e.event.kind === 'status' ? e.event.status.state : 'artifactUpdate')),
    );
    expect(states(r.requests)).toEqual(
      expect.arrayContaining(['TASK_STATE_SUBMITTED', 'artifactUpdate', 'TASK_STATE_COMPLETED']),
    );
    for (const req of r.requests) {
      expect(req.headers['content-type']).toBe('application/a2a+json');
      expect(req.headers.authorization).toBe('Bearer hook-secret');
    }
    const verifier = createPushVerifier({
      jwksUrl: `${stack.url}/.well-known/jwks.json`,
      issuer: LOCAL_PUSH_ISSUER,
      audience: `${r.origin}/hook`,
    });
    for (const req of r.requests) {
      const verified = await verifier.verify({
        headers: req.headers as Record<string, string>,
        body: req.body,
      });
      expect(verified.taskId).toBe(task.id);
    }
    const tampered = r.requests[0] as ReceivedRequest;
    await expect(
      createPushVerifier({
        jwksUrl: `${stack.url}/.well-known/jwks.json`,
        issuer: LOCAL_PUSH_ISSUER,
        audience: `${r.origin}/hook`,
      }).verify({
        headers: tampered.headers as Record<string, string>,
        body: Buffer.from(tampered.body.toString().replace('SUBMITTED', 'COMPLETED')),
      }),
    ).rejects.toThrow();
  });

  it('still get every event, in order and without gaps, when the receiver fails the first attempts', async () => {
    let calls = 0;
    const r = await receiver((_req, res) => {
      calls++;
      if (calls === 1) return void res.writeHead(500).end('boom');
      if (calls === 2) return; // never answers: the client times out
      res.writeHead(200).end('ok');
    });
    const { task } = await sendWithWebhook(r, `tck-stream-003-${Date.now()}`);
    await until('COMPLETED delivery', () => states(r.requests).includes('TASK_STATE_COMPLETED'), 20_000);
    const delivered = r.requests.slice(2).map(seqOf);
    expect(delivered).toEqual((await eventLog(task.id)).map((e) => e.seq));
  });

  it('recover from a receiver that refuses connections at first', async () => {
    const port = await refusedPort();
    const { task } = await rpc('SendMessage', {
      message: { messageId: `tck-complete-task-${Date.now()}`, role: 'ROLE_USER', parts: [{ text: 'x' }] },
      configuration: { taskPushNotificationConfig: { url: `http://127.0.0.1:${port}/hook`, id: 'late' } },
    });
    await new Promise((res) => setTimeout(res, 300));
    const r = await startReceiver(undefined, { port });
    receivers.push(r);
    await until('COMPLETED delivery', () => states(r.requests).includes('TASK_STATE_COMPLETED'), 20_000);
    const log = await eventLog(task.id);
    expect(r.requests.map(seqOf)).toEqual(log.map((e) => e.seq));
    const cfg = await rpc('GetTaskPushNotificationConfig', { taskId: task.id, id: 'late' });
    expect(cfg.metadata).toMatchObject({
      delivery: { lastDeliveredSeq: log.length, consecutiveFailures: 0 },
    });
  });

  it('end in the push DLQ when the receiver always answers 500, and the config shows its failures', async () => {
    const r = await receiver((_req, res) => res.writeHead(500).end('down'));
    const before = stack.push.deadLetters.approximateCount();
    const { task } = await rpc('SendMessage', {
      message: {
        messageId: `tck-complete-task-dlq-${Date.now()}`,
        role: 'ROLE_USER',
        parts: [{ text: 'x' }],
      },
      configuration: {
        returnImmediately: true,
        taskPushNotificationConfig: { url: `${r.origin}/hook`, id: 'dead' },
      },
    });
    await until('push DLQ arrival', () => stack.push.deadLetters.approximateCount() > before, 30_000);
    const cfg = await rpc('GetTaskPushNotificationConfig', { taskId: task.id, id: 'dead' });
    const delivery = (cfg.metadata as { delivery: { consecutiveFailures: number; lastError: string } })
      .delivery;
    expect(delivery.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(delivery.lastError).toMatch(/HTTP 500/);
  });

  it('stop after the config is deleted', async () => {
    const r = await receiver();
    const { task } = await rpc('SendMessage', {
      message: {
        messageId: `test-resubscribe-message-id-${Date.now()}`,
        role: 'ROLE_USER',
        parts: [{ text: 'x' }],
      },
      configuration: {
        returnImmediately: true,
        taskPushNotificationConfig: { url: `${r.origin}/hook`, id: 'gone' },
      },
    });
    await until('first delivery', () => r.requests.length > 0);
    await rpc('DeleteTaskPushNotificationConfig', { taskId: task.id, id: 'gone' });
    const seen = r.requests.length;
    for (let i = 0; i < 40; i++) {
      const t = (await rpc('GetTask', { id: task.id })) as unknown as { status: { state: string } };
      if (t.status.state === 'TASK_STATE_COMPLETED') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    await new Promise((res) => setTimeout(res, 500));
    expect(states(r.requests.slice(seen))).not.toContain('TASK_STATE_COMPLETED');
  });

  it('send a config registered on a finished task the task as it is', async () => {
    const done = await rpc('SendMessage', {
      message: {
        messageId: `tck-complete-task-late-${Date.now()}`,
        role: 'ROLE_USER',
        parts: [{ text: 'x' }],
      },
    });
    const r = await receiver();
    await rpc('CreateTaskPushNotificationConfig', { taskId: done.task.id, url: `${r.origin}/hook` });
    await until('snapshot delivery', () => r.requests.length > 0);
    const body = parse(r.requests[0] as ReceivedRequest) as unknown as {
      task: { id: string; status: { state: string } };
    };
    expect(body.task.id).toBe(done.task.id);
    expect(body.task.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('keep old signatures verifiable across a key rotation', async () => {
    const r = await receiver();
    await sendWithWebhook(r, `tck-complete-task-rot-${Date.now()}`);
    await until('delivery before rotation', () => states(r.requests).includes('TASK_STATE_COMPLETED'));
    const before = r.requests[r.requests.length - 1] as ReceivedRequest;
    await rotateSigningKeysFile(dataDir);
    const r2 = await receiver();
    await sendWithWebhook(r2, `tck-complete-task-rot2-${Date.now()}`);
    await until('delivery after rotation', () => states(r2.requests).includes('TASK_STATE_COMPLETED'));
    const after = r2.requests[r2.requests.length - 1] as ReceivedRequest;
    const kid = (req: ReceivedRequest) =>
      JSON.parse(
        Buffer.from(String(req.headers['x-a2a-signature']).split('.')[0] ?? '', 'base64url').toString(),
      ).kid;
    expect(kid(before)).not.toBe(kid(after));
    const jwks = (await (await fetch(`${stack.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kid(before), kid(after)]));
    const verify = (req: ReceivedRequest, origin: string) =>
      createPushVerifier({
        jwksUrl: `${stack.url}/.well-known/jwks.json`,
        issuer: LOCAL_PUSH_ISSUER,
        audience: `${origin}/hook`,
        maxAgeSeconds: 3600,
      }).verify({
        headers: req.headers as Record<string, string>,
        body: req.body,
      });
    await expect(verify(before, r.origin)).resolves.toMatchObject({ seq: expect.any(Number) });
    await expect(verify(after, r2.origin)).resolves.toMatchObject({ seq: expect.any(Number) });
  });
});
