/**
 * A `fetch` for calling remote agents (cards, JSON-RPC, OAuth token endpoints) that goes through
 * the same SSRF guard as webhooks: every URL is vetted with checkOutboundUrl and the socket
 * connects only to the addresses that check returned (net/pinned-request.ts: no DNS-rebinding
 * window). Redirects are not followed. One timer bounds the wait for the response headers; a plain body is read whole, capped
 * in bytes and time; an event stream is cut when it stays silent too long or grows too large.
 * Failures come out typed (core/ports/remote-agent-client.ts), so the SDK's errors never have to
 * be guessed at: unreachable, timeouts, 5xx, 429 and 408 are RemoteAgentUnavailableError; a
 * refused URL, a redirect and a non-JSON 4xx are RemoteAgentRefusedError; an oversized body is
 * InvalidAgentResponseError. 401/403 are returned as responses (remote-auth.ts handles them).
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { InvalidAgentResponseError } from '../../core/errors';
import { RemoteAgentRefusedError, RemoteAgentUnavailableError } from '../../core/ports/remote-agent-client';
import {
  checkOutboundUrl,
  type Resolver,
  type SsrfPolicy,
  systemResolver,
  type VettedOutboundUrl,
  WebhookHostUnresolvableError,
  WebhookUrlRefusedError,
} from '../net/outbound-url';
import { CLIENT_SET_HEADERS, openPinnedRequest } from '../net/pinned-request';

export interface GuardedFetchOptions {
  policy: SsrfPolicy;
  resolver?: Resolver;
  /** until the response headers arrive; a plain body then gets as long again */
  timeoutMs: number;
  /** a plain (non-stream) body larger than this is refused */
  maxBodyBytes: number;
  /** an event stream silent for this long is cut */
  streamIdleMs: number;
  /** an event stream that grows past this is cut */
  maxStreamBytes: number;
}

export function createGuardedFetch(o: GuardedFetchOptions): typeof fetch {
  return async (input, init) => {
    const { url, method, headers, body, signal } = await requestParts(input, init);
    signal?.throwIfAborted();
    const vetted = await vet(url, o);
    const res = await send(vetted, method, headers, body, o.timeoutMs, signal);
    const status = res.statusCode ?? 0;
    const responseHeaders = toHeaders(res);
    if (status >= 300 && status < 400) {
      res.destroy();
      throw new RemoteAgentRefusedError(
        `answered with a redirect (HTTP ${status}); redirects are not followed`,
      );
    }
    if (status >= 500 || status === 429 || status === 408) {
      res.destroy();
      throw new RemoteAgentUnavailableError(`answered HTTP ${status}`);
    }
    const type = responseHeaders.get('content-type') ?? '';
    if (status >= 400 && status !== 401 && status !== 403 && !/json/i.test(type)) {
      res.destroy();
      throw new RemoteAgentRefusedError(`answered HTTP ${status}`);
    }
    if (status >= 200 && status < 300 && type.toLowerCase().startsWith('text/event-stream')) {
      return new Response(eventStream(res, o, signal), { status, headers: responseHeaders });
    }
    const bytes = await readCapped(res, o.maxBodyBytes, o.timeoutMs, signal);
    const empty = status === 204 || status === 304;
    return new Response(empty ? null : bytes, { status, headers: responseHeaders });
  };
}

async function vet(url: string, o: GuardedFetchOptions): Promise<VettedOutboundUrl> {
  try {
    return await checkOutboundUrl(url, o.policy, o.resolver ?? systemResolver);
  } catch (err) {
    if (err instanceof WebhookUrlRefusedError)
      throw new RemoteAgentRefusedError(`URL refused: ${err.reason}`);
    if (err instanceof WebhookHostUnresolvableError) {
      throw new RemoteAgentUnavailableError(`host ${err.hostname} could not be resolved`);
    }
    throw err;
  }
}

interface Parts {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

async function requestParts(input: string | URL | Request, init: RequestInit | undefined): Promise<Parts> {
  const request = input instanceof Request ? input : undefined;
  const headers: Record<string, string> = {};
  new Headers(init?.headers ?? request?.headers).forEach((value, name) => {
    if (!CLIENT_SET_HEADERS.has(name)) headers[name] = value;
  });
  const rawBody = init?.body ?? (request ? await request.text() : undefined);
  let body: string | undefined;
  if (typeof rawBody === 'string') body = rawBody;
  else if (rawBody instanceof URLSearchParams) body = rawBody.toString();
  else if (rawBody !== undefined && rawBody !== null && rawBody !== '') {
    throw new TypeError('guarded fetch sends string bodies only');
  }
  const url = request ? request.url : input instanceof URL ? input.href : String(input);
  const signal = init?.signal ?? request?.signal ?? undefined;
  return { url, method: init?.method ?? request?.method ?? 'GET', headers, body, signal };
}

function send(
  vetted: VettedOutboundUrl,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  const payload = body === undefined ? undefined : Buffer.from(body);
  const requestHeaders = {
    'user-agent': 'a2a-gateway-remote/1',
    ...headers,
    ...(payload ? { 'content-length': String(payload.length) } : {}),
  };
  return new Promise<IncomingMessage>((resolve, reject) => {
    let req: ClientRequest | undefined;
    const timer = setTimeout(() => {
      fail(new RemoteAgentUnavailableError(`did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = () => fail(abortReason(signal));
    function fail(err: unknown): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req?.destroy();
      reject(err);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req = openPinnedRequest(vetted, method, requestHeaders, (res) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(res);
    });
    req.on('error', (err) => fail(connectionError(err)));
    req.end(payload);
  });
}

/** Reads the whole body, at most `max` bytes and `timeoutMs`. */
function readCapped(
  res: IncomingMessage,
  max: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const timer = setTimeout(
      () => fail(new RemoteAgentUnavailableError(`did not finish its answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onAbort = () => fail(abortReason(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    function fail(err: unknown): void {
      done();
      res.destroy();
      reject(err);
    }
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > max) fail(new InvalidAgentResponseError(`answered with more than ${max} bytes`));
      else chunks.push(chunk);
    });
    res.once('end', () => {
      done();
      resolve(Buffer.concat(chunks));
    });
    res.on('error', (err) => fail(connectionError(err)));
  });
}

/** The response as a web stream, cut on silence, size, abort or a broken connection. */
function eventStream(
  res: IncomingMessage,
  o: GuardedFetchOptions,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  let bytes = 0;
  let idle: NodeJS.Timeout | undefined;
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const stop = (err?: unknown): void => {
        if (finished) return;
        finished = true;
        clearTimeout(idle);
        signal?.removeEventListener('abort', onAbort);
        if (err === undefined) controller.close();
        else {
          controller.error(err);
          res.destroy();
        }
      };
      const arm = (): void => {
        clearTimeout(idle);
        idle = setTimeout(
          () => stop(new RemoteAgentUnavailableError(`stream silent for ${o.streamIdleMs} ms`)),
          o.streamIdleMs,
        );
      };
      const onAbort = () => stop(abortReason(signal));
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
      res.on('data', (chunk: Buffer) => {
        if (finished) return;
        bytes += chunk.length;
        if (bytes > o.maxStreamBytes) {
          stop(new InvalidAgentResponseError(`streamed more than ${o.maxStreamBytes} bytes`));
          return;
        }
        arm();
        controller.enqueue(new Uint8Array(chunk));
      });
      res.once('end', () => stop());
      res.on('error', (err) => stop(connectionError(err)));
      res.once('close', () =>
        stop(res.complete ? undefined : new RemoteAgentUnavailableError('stream closed')),
      );
    },
    cancel() {
      finished = true;
      clearTimeout(idle);
      res.destroy();
    },
  });
}

function toHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function connectionError(err: unknown): Error {
  if (err instanceof RemoteAgentUnavailableError || err instanceof InvalidAgentResponseError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const what = typeof code === 'string' ? code : 'connection failed';
  return new RemoteAgentUnavailableError(`could not be reached (${what})`);
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
