/**
 * Errors answered at the HTTP level, before or outside a JSON-RPC method: unknown paths and
 * agents (404), auth (401/403), timeouts and overload. Their body is a google.rpc.Status-shaped
 * `{error: {code, status, message}}`, which a JSON-RPC client also reads as an error object
 * (numeric `code`, `message`). Which JSON-RPC errors get which HTTP status is written down in
 * README decision 10: every JSON-RPC error envelope is HTTP 200, as the official SDK servers
 * answer and both conformance kit lines accept.
 */
import { type JsonOutcome, jsonOutcome } from './dispatch/outcome';

/** google.rpc.Code names (the `status` of a google.rpc.Status body). */
export type HttpStatusName =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'UNIMPLEMENTED'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'INTERNAL'
  | 'DEADLINE_EXCEEDED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE';

export interface HttpErrorBody {
  error: { code: number; status: HttpStatusName; message: string; details?: Record<string, unknown>[] };
}

export const httpErrorBody = (
  code: number,
  status: HttpStatusName,
  message: string,
  details?: Record<string, unknown>[],
): HttpErrorBody => ({
  error: details === undefined ? { code, status, message } : { code, status, message, details },
});

export const unknownAgentBody = (agentId: string): HttpErrorBody =>
  httpErrorBody(404, 'NOT_FOUND', `Unknown agent ${JSON.stringify(agentId.slice(0, 100))}`);

/** An unknown path: says which paths exist, so a client with a wrong base URL can tell. */
export const unknownPathBody = (method: string, path: string): HttpErrorBody =>
  httpErrorBody(
    404,
    'NOT_FOUND',
    `No route for ${method} ${path.slice(0, 200)}. A2A endpoints: JSON-RPC at POST / and POST /agents/{agentId}; HTTP+JSON at /message:send, /message:stream, /tasks, /tasks/{id}, /extendedAgentCard (and the same under /agents/{agentId}); cards at /.well-known/agent-card.json and /agents/{agentId}/.well-known/agent-card.json`,
  );

/** The 404 of an unknown path; a POST (a JSON-RPC client with a wrong URL) also reads it as a JSON-RPC error. */
export function unknownPathOutcome(method: string, path: string): JsonOutcome {
  const body = unknownPathBody(method, path);
  return jsonOutcome(404, method === 'POST' ? { jsonrpc: '2.0', id: null, ...body } : body);
}

export const bodyTooLargeMessage = (limit: number): string =>
  `The request body exceeds the limit of ${limit} bytes`;

/** The status of a failure outside a binding: a body fastify could not read (its 4xx), else 500. */
export function readFailure(statusCode: number | undefined): { status: number; internal: boolean } {
  const status = statusCode && statusCode >= 400 && statusCode < 500 ? statusCode : 500;
  return { status, internal: status === 500 };
}

/** 403 for a token without the scope an operation needs (RFC 6750 insufficient_scope). */
export function forbidden(scope: string): JsonOutcome {
  return jsonOutcome(403, httpErrorBody(403, 'PERMISSION_DENIED', `The token lacks the scope ${scope}`), {
    'www-authenticate': `Bearer realm="a2a", error="insufficient_scope", scope="${scope}"`,
  });
}

/** 401 without a valid token; `invalid_token` when one was presented (RFC 6750). */
export function unauthenticated(tokenPresented: boolean): JsonOutcome {
  const challenge = tokenPresented ? 'Bearer realm="a2a", error="invalid_token"' : 'Bearer realm="a2a"';
  return jsonOutcome(401, httpErrorBody(401, 'UNAUTHENTICATED', 'A valid bearer token is required'), {
    'www-authenticate': challenge,
  });
}
