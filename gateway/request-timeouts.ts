/**
 * Bounds on how long a client may take to send a request: its headers within `headersMs`, the
 * whole request (headers and body) within `requestMs`. They are Node's own server timeouts
 * (`server.headersTimeout`, `server.requestTimeout`), checked by one interval per server, so they
 * cost nothing per request. On expiry the client gets HTTP 408 with a JSON-RPC error body and the
 * connection is closed; the request's overload slot is given back when the socket closes.
 *
 * They bound *receiving* the request only: Node stops the clock once the request has been read,
 * so a response that lasts longer (a blocking SendMessage, an SSE stream) is never cut by them.
 * In Lambda (`@fastify/aws-lambda` calls `app.inject()`, no socket) they do not apply: API Gateway
 * has already received the whole request.
 */
import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import { JsonRpcCode, jsonRpcError } from './json-rpc/error-codes';

export interface RequestTimeouts {
  /** the request line and headers must arrive within this (ms) */
  headersMs: number;
  /** the whole request, body included, must arrive within this (ms); >= headersMs */
  requestMs: number;
}

export const DEFAULT_REQUEST_TIMEOUTS: Readonly<RequestTimeouts> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
});

/** How often Node checks the bounds: a fraction of the shorter one, at most once a second. */
const checkIntervalMs = (t: RequestTimeouts): number =>
  Math.max(10, Math.min(1_000, Math.floor(t.headersMs / 4)));

/** The fastify options that put the bounds on the server it creates. */
export function requestTimeoutOptions(
  overrides: Partial<RequestTimeouts> = {},
): Pick<FastifyServerOptions, 'requestTimeout' | 'clientErrorHandler'> & { http: ServerOptions } {
  const t: RequestTimeouts = { ...DEFAULT_REQUEST_TIMEOUTS, ...overrides };
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  if (!positive(t.headersMs) || !positive(t.requestMs) || t.headersMs > t.requestMs) {
    throw new Error(
      'request timeouts: headersMs and requestMs must be positive integers, headersMs <= requestMs',
    );
  }
  return {
    // fastify copies requestTimeout onto the server after creating it: both must agree.
    requestTimeout: t.requestMs,
    http: {
      headersTimeout: t.headersMs,
      requestTimeout: t.requestMs,
      connectionsCheckingInterval: checkIntervalMs(t),
    },
    clientErrorHandler,
  };
}

const STATUS_LINES: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
};

const MESSAGES: Record<string, [string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: ['The request was not received in time', 'REQUEST_TIMEOUT'],
  HPE_HEADER_OVERFLOW: ['The request headers are too large', 'REQUEST_TOO_LARGE'],
};

/**
 * Node's 'clientError': a request that could not be read (timed out, malformed, oversized headers).
 * The answer is written on the socket, which is then closed: its request never reached a route.
 */
function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code = err.code ?? '';
  const status = STATUS_LINES[code] ?? '400 Bad Request';
  const [message, reason] = MESSAGES[code] ?? ['The request could not be read', 'INVALID_REQUEST'];
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: jsonRpcError(JsonRpcCode.InvalidRequest, message, reason),
  });
  // A response already under way (Node's rule too) cannot be replaced: just close.
  const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (socket.writable && started !== true) {
    socket.write(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
