/**
 * POSTs one push notification. The URL is re-vetted at delivery time and the socket connects
 * only to the addresses that check returned (net/pinned-request.ts), while Host and the TLS
 * server name stay the hostname. Redirects are never followed, the response read is capped, and
 * one timer bounds the whole attempt (DNS, connect, TLS, response). With a PinnedAgentPool the
 * connection is kept alive for the next POST to the same origin and vetted addresses; a kept
 * socket the receiver closed meanwhile (a reset before any answer) is retried once on a new one.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isVisibleAsciiFieldValue } from '../../core/validation/header-value';
import {
  checkOutboundUrl,
  type Resolver,
  type SsrfPolicy,
  systemResolver,
  type VettedOutboundUrl,
  WebhookHostUnresolvableError,
  WebhookUrlRefusedError,
} from '../net/outbound-url';
import type { PinnedAgentPool } from '../net/pinned-agents';
import { CLIENT_SET_HEADERS, openPinnedRequest } from '../net/pinned-request';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

export const DeliveryFailure = {
  urlRefused: 'URL_REFUSED',
  invalidHeader: 'INVALID_HEADER',
  redirect: 'REDIRECT',
  clientError: 'CLIENT_ERROR',
  rateLimited: 'RATE_LIMITED',
  serverError: 'SERVER_ERROR',
  timeout: 'TIMEOUT',
  connection: 'CONNECTION_FAILED',
  dns: 'DNS_FAILURE',
} as const;
export type DeliveryFailureReason = (typeof DeliveryFailure)[keyof typeof DeliveryFailure];

/** Retryable: the message goes back to the queue. Permanent: record the failure, stop. */
export type DeliveryFailureKind = 'retryable' | 'permanent';

export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  static readonly code = 'ERR_WEBHOOK_DELIVERY';
  readonly code = WebhookDeliveryError.code;
  readonly kind: DeliveryFailureKind;
  readonly reason: DeliveryFailureReason;
  readonly status: number | undefined;
  /** from Retry-After on 429/503, when present */
  readonly retryAfterMs: number | undefined;
  constructor(
    reason: DeliveryFailureReason,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.kind = RETRYABLE.has(reason) ? 'retryable' : 'permanent';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

const RETRYABLE: ReadonlySet<DeliveryFailureReason> = new Set([
  DeliveryFailure.rateLimited,
  DeliveryFailure.serverError,
  DeliveryFailure.timeout,
  DeliveryFailure.connection,
  DeliveryFailure.dns,
]);

export interface PostWebhookOptions {
  url: string;
  /** Content-Type, Authorization, the signature header, ... Host and framing headers are refused. */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  policy: SsrfPolicy;
  resolver?: Resolver;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** keep-alive connections per origin and vetted address set; without it, one connection per POST */
  agents?: PinnedAgentPool;
}

export interface WebhookResponse {
  status: number;
  latencyMs: number;
  /** response body bytes read (at most maxResponseBytes; the rest is not read) */
  responseBytes: number;
  truncated: boolean;
}

// Set by this client from the vetted URL and the body; a caller must not override them.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Delivers one POST. Resolves on 2xx; throws WebhookDeliveryError otherwise. */
export async function postWebhook(o: PostWebhookOptions): Promise<WebhookResponse> {
  const headers = validHeaders(o.headers);
  const timeoutMs = o.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const maxResponseBytes = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let req: ClientRequest | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new WebhookDeliveryError(
        DeliveryFailure.timeout,
        `Webhook did not answer within ${timeoutMs} ms`,
      );
      req?.destroy(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    const vetted = await Promise.race([vet(o), deadline]);
    const res = await Promise.race([
      send({ vetted, headers, body: o.body, maxResponseBytes, agents: o.agents }, (r) => {
        req = r;
      }),
      deadline,
    ]);
    const latencyMs = Math.round(performance.now() - started);
    const { status, retryAfter, responseBytes, truncated } = res;
    return classify(status, retryAfter, { status, latencyMs, responseBytes, truncated });
  } finally {
    clearTimeout(timer);
    req?.destroy();
  }
}

async function vet(o: PostWebhookOptions): Promise<VettedOutboundUrl> {
  try {
    return await checkOutboundUrl(o.url, o.policy, o.resolver ?? systemResolver);
  } catch (err) {
    if (err instanceof WebhookUrlRefusedError)
      throw new WebhookDeliveryError(DeliveryFailure.urlRefused, err.message, { cause: err });
    if (err instanceof WebhookHostUnresolvableError)
      throw new WebhookDeliveryError(DeliveryFailure.dns, err.message, { cause: err });
    throw err;
  }
}

function validHeaders(input: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!HEADER_NAME.test(name)) throw invalidHeader(`invalid header name ${JSON.stringify(name)}`);
    if (CLIENT_SET_HEADERS.has(name.toLowerCase()))
      throw invalidHeader(`header ${name} is set by the client`);
    // Never echo the value: it may be a credential. Checked here, not left to Node: node:http
    // throws ERR_INVALID_CHAR for some values, which would not be a WebhookDeliveryError.
    if (typeof value !== 'string' || !isVisibleAsciiFieldValue(value)) {
      throw invalidHeader(`header ${name} is not a visible-ASCII field value`);
    }
    out[name] = value;
  }
  return out;
}

const invalidHeader = (message: string): WebhookDeliveryError =>
  new WebhookDeliveryError(DeliveryFailure.invalidHeader, message);

interface RawResponse {
  status: number;
  retryAfter: string | undefined;
  responseBytes: number;
  truncated: boolean;
}

interface SendInput {
  vetted: VettedOutboundUrl;
  headers: Record<string, string>;
  body: Buffer;
  maxResponseBytes: number;
  agents: PinnedAgentPool | undefined;
}

/** Errors of a kept-alive socket the other end closed while it was idle. */
const STALE_SOCKET_CODES: ReadonlySet<unknown> = new Set(['ECONNRESET', 'EPIPE']);

function send(
  input: SendInput,
  onRequest: (req: ClientRequest) => void,
  retryStale = true,
): Promise<RawResponse> {
  const { vetted, headers, body, maxResponseBytes, agents } = input;
  const requestHeaders = {
    'user-agent': 'a2a-gateway-push/1',
    ...headers,
    'content-length': String(body.length),
  };
  return new Promise<RawResponse>((resolve, reject) => {
    let answered = false;
    const req = openPinnedRequest(
      vetted,
      'POST',
      requestHeaders,
      (res) => {
        answered = true;
        readCapped(res, maxResponseBytes).then(
          ({ bytes, truncated }) => {
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, retryAfter, responseBytes: bytes, truncated });
            if (truncated) req.destroy();
          },
          (err: unknown) => reject(connectionError(err)),
        );
      },
      agents,
    );
    onRequest(req);
    req.on('error', (err) => {
      const code = (err as { code?: unknown }).code;
      if (retryStale && req.reusedSocket && !answered && STALE_SOCKET_CODES.has(code)) {
        resolve(send(input, onRequest, false));
        return;
      }
      reject(err instanceof WebhookDeliveryError ? err : connectionError(err));
    });
    req.end(body);
  });
}

/** Reads at most `max` bytes of the response body, then stops reading. */
function readCapped(res: IncomingMessage, max: number): Promise<{ bytes: number; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > max) {
        res.off('data', onData);
        res.pause();
        resolve({ bytes: max, truncated: true });
      }
    };
    res.on('data', onData);
    res.once('end', () => resolve({ bytes, truncated: false }));
    // After a settle these are no-ops; `on` so that a late second error is never unhandled.
    res.on('error', reject);
    res.once('close', () => reject(new Error('response closed before its end')));
  });
}

function connectionError(err: unknown): WebhookDeliveryError {
  const code = (err as { code?: unknown } | undefined)?.code;
  const what = typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown error';
  return new WebhookDeliveryError(DeliveryFailure.connection, `Webhook connection failed: ${what}`, {
    cause: err,
  });
}

function classify(status: number, retryAfter: string | undefined, ok: WebhookResponse): WebhookResponse {
  if (status >= 200 && status < 300) return ok;
  const retryAfterMs = parseRetryAfter(retryAfter);
  const extra = { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (status >= 300 && status < 400) {
    throw new WebhookDeliveryError(
      DeliveryFailure.redirect,
      `Webhook answered ${status} (redirects are not followed)`,
      extra,
    );
  }
  if (status === 429)
    throw new WebhookDeliveryError(DeliveryFailure.rateLimited, 'Webhook answered 429', extra);
  if (status === 408) throw new WebhookDeliveryError(DeliveryFailure.timeout, 'Webhook answered 408', extra);
  if (status >= 500 && status < 600) {
    throw new WebhookDeliveryError(DeliveryFailure.serverError, `Webhook answered ${status}`, extra);
  }
  throw new WebhookDeliveryError(DeliveryFailure.clientError, `Webhook answered ${status}`, extra);
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
