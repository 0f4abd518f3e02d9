import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Resolver, SsrfPolicy } from '../../adapters/net/outbound-url';
import { createPushSigner, LOCAL_PUSH_ISSUER } from '../../adapters/push/push-signer';
import { generateSigningJwk, signingKeysFromMaterial } from '../../adapters/push/push-signing-keys';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type PostWebhookOptions,
  postWebhook,
  WebhookDeliveryError,
} from '../../adapters/push/webhook-client';
import { createWebhookPushSender } from '../../adapters/push/webhook-push-sender';
import { type Handler, type Receiver, refusedPort, startReceiver } from '../support/webhook-receivers';

// Test mode: plain http to 127.0.0.1 only. Every receiver below listens on 127.0.0.1.
const policy: SsrfPolicy = { allowHttpHosts: ['127.0.0.1'] };
const body = Buffer.from('{"statusUpdate":{"taskId":"t-1","status":{"state":"TASK_STATE_COMPLETED"}}}');

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(handler?: Handler): Promise<Receiver> {
  const r = await startReceiver(handler);
  receivers.push(r);
  return r;
}

const answer =
  (status: number, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, headers).end('answer');
  };

function post(url: string, overrides: Partial<PostWebhookOptions> = {}): Promise<unknown> {
  return postWebhook({
    url,
    headers: { 'content-type': 'application/a2a+json' },
    body,
    policy,
    ...overrides,
  }).catch((e: unknown) => e);
}

describe('postWebhook', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_WEBHOOK_TIMEOUT_MS).toBe(10_000);
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(64 * 1024);
  });

  it('POSTs the exact body and headers and resolves on 200', async () => {
    const r = await receiver();
    const res = await postWebhook({
      url: `${r.origin}/webhook?tenant=a`,
      headers: {
        'Content-Type': 'application/a2a+json',
        Authorization: 'Bearer s3cret',
        'X-A2A-Signature': 'a.b.c',
      },
      body,
      policy,
    });
    expect(res).toEqual({ status: 200, latencyMs: expect.any(Number), truncated: false, responseBytes: 2 });
    const got = r.requests[0];
    expect(got?.method).toBe('POST');
    expect(got?.url).toBe('/webhook?tenant=a');
    expect(got?.body.equals(body)).toBe(true);
    expect(got?.headers).toMatchObject({
      'content-type': 'application/a2a+json',
      authorization: 'Bearer s3cret',
      'x-a2a-signature': 'a.b.c',
      'content-length': String(body.length),
      host: `127.0.0.1:${r.port}`,
    });
  });

  it.each([
    [500, 'SERVER_ERROR'],
    [503, 'SERVER_ERROR'],
    [429, 'RATE_LIMITED'],
    [408, 'TIMEOUT'],
  ])('treats %i as retryable (%s)', async (status, reason) => {
    const r = await receiver(answer(status));
    const err = await post(`${r.origin}/webhook`);
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err).toMatchObject({ kind: 'retryable', retryable: true, reason, status });
  });

  it('passes Retry-After on', async () => {
    const r = await receiver(answer(429, { 'retry-after': '3' }));
    expect(await post(`${r.origin}/webhook`)).toMatchObject({ reason: 'RATE_LIMITED', retryAfterMs: 3000 });
  });

  it.each([400, 401, 403, 404, 410, 413])('treats %i as permanent', async (status) => {
    const r = await receiver(answer(status));
    expect(await post(`${r.origin}/webhook`)).toMatchObject({
      kind: 'permanent',
      reason: 'CLIENT_ERROR',
      status,
    });
  });

  it('does not follow a redirect to an internal address, and treats it as permanent', async () => {
    const internal = await receiver();
    const redirecting = await receiver(answer(302, { location: `${internal.origin}/admin` }));
    const err = await post(`${redirecting.origin}/webhook`);
    expect(err).toMatchObject({ kind: 'permanent', reason: 'REDIRECT', status: 302 });
    expect(redirecting.requests).toHaveLength(1);
    expect(internal.connections).toBe(0);
  });

  it('times out a receiver that never answers, as retryable', async () => {
    const silent = await receiver(() => undefined);
    const err = await post(`${silent.origin}/webhook`, { timeoutMs: 300 });
    expect(err).toMatchObject({ kind: 'retryable', reason: 'TIMEOUT' });
  });

  it('times out a response body that never ends', async () => {
    const trickle = await receiver((_req, res) => {
      res.writeHead(200);
      res.write('a');
    });
    expect(await post(`${trickle.origin}/webhook`, { timeoutMs: 300 })).toMatchObject({ reason: 'TIMEOUT' });
  });

  it('treats connection refused as retryable', async () => {
    const port = await refusedPort();
    const err = await post(`http://127.0.0.1:${port}/webhook`);
    expect(err).toMatchObject({ kind: 'retryable', reason: 'CONNECTION_FAILED' });
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('treats a reset connection as retryable', async () => {
    const rude = await receiver((_req, res) => {
      res.socket?.destroy();
    });
    expect(await post(`${rude.origin}/webhook`)).toMatchObject({
      kind: 'retryable',
      reason: 'CONNECTION_FAILED',
    });
  });

  it('caps the response body it reads', async () => {
    let closed = false;
    const flood = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.on('close', () => {
        closed = true;
      });
      pump(res, () => closed); // writes until the client hangs up: an endless body
    });
    const res = await postWebhook({
      url: `${flood.origin}/webhook`,
      headers: {},
      body,
      policy,
      maxResponseBytes: 1024,
    });
    expect(res).toMatchObject({ status: 200, truncated: true, responseBytes: 1024 });
  });

  it.each([
    ['CRLF', 'Bearer x\r\nX-Injected: 1'],
    ['LF', 'Bearer x\nX-Injected: 1'],
    ['CR', 'Bearer x\rX'],
    ['NUL', 'Bearer x\u0000'],
    ['a control character', 'Bearer x\u0001'],
    ['an emoji (Node would throw ERR_INVALID_CHAR)', 'Bearer \u{1F4A5}'],
    ['obs-text', 'Bearer caf\u00e9'],
  ])('refuses %s in a header value without connecting', async (_name, value) => {
    const r = await receiver();
    const err = await post(`${r.origin}/webhook`, { headers: { Authorization: value } });
    expect(err).toMatchObject({ kind: 'permanent', reason: 'INVALID_HEADER' });
    expect((err as Error).message).not.toContain('Bearer');
    expect(r.connections).toBe(0);
  });

  it.each([['Host'], ['Content-Length'], ['Transfer-Encoding'], ['Bad Name']])(
    'refuses the caller-supplied header %s',
    async (name) => {
      const r = await receiver();
      expect(await post(`${r.origin}/webhook`, { headers: { [name]: 'x' } })).toMatchObject({
        reason: 'INVALID_HEADER',
      });
      expect(r.connections).toBe(0);
    },
  );

  it('re-checks the URL at delivery time: a refused URL is permanent and never connected', async () => {
    const r = await receiver();
    const err = await post(`${r.origin}/webhook`, { policy: {} }); // production policy: https only
    expect(err).toMatchObject({ kind: 'permanent', reason: 'URL_REFUSED' });
    expect(r.connections).toBe(0);
  });

  it('treats a DNS failure at delivery time as retryable', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN hook.test'), { code: 'EAI_AGAIN' });
    };
    const err = await post('https://hook.test/webhook', { resolver: failing });
    expect(err).toMatchObject({ kind: 'retryable', reason: 'DNS_FAILURE' });
  });

  it('times out a resolver that never answers', async () => {
    const stuck: Resolver = () => new Promise(() => undefined);
    expect(await post('https://hook.test/webhook', { resolver: stuck, timeoutMs: 200 })).toMatchObject({
      reason: 'TIMEOUT',
    });
  });
});

function pump(res: ServerResponse, done: () => boolean): void {
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const write = (): void => {
    while (!done() && res.write(chunk)) {
      // keep writing until the socket buffer is full
    }
    if (!done()) res.once('drain', write);
  };
  write();
}

describe('createWebhookPushSender', () => {
  it('delivers successive notifications to one webhook over one kept-alive connection', async () => {
    const r = await receiver();
    const keys = await signingKeysFromMaterial({ current: await generateSigningJwk() });
    const sender = createWebhookPushSender({
      signer: createPushSigner({ issuer: LOCAL_PUSH_ISSUER, keys }),
      policy,
    });
    const config = { id: 'c', taskId: 't-1', url: `${r.origin}/hook` };
    for (let seq = 1; seq <= 3; seq++) {
      await expect(sender.send({ config, taskId: 't-1', seq, body })).resolves.toMatchObject({ ok: true });
    }
    expect(r.requests).toHaveLength(3);
    expect(r.connections).toBe(1);
  });
});
