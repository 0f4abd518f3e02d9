/**
 * Errors answered at the HTTP level, before or outside a JSON-RPC method: unknown paths and
 * agents (404), auth (401/403), timeouts and overload. Their body is a google.rpc.Status-shaped
 * `{error: {code, status, message}}`, which a JSON-RPC client also reads as an error object
 * (numeric `code`, `message`). Which JSON-RPC errors get which HTTP status is written down in
 * README decision 10: every JSON-RPC error envelope is HTTP 200, as the official SDK servers
 * answer and both conformance kit lines accept.
 */
export type HttpStatusName =
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'INTERNAL'
  | 'DEADLINE_EXCEEDED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE';

export interface HttpErrorBody {
  error: { code: number; status: HttpStatusName; message: string };
}

export const httpErrorBody = (code: number, status: HttpStatusName, message: string): HttpErrorBody => ({
  error: { code, status, message },
});

export const unknownAgentBody = (agentId: string): HttpErrorBody =>
  httpErrorBody(404, 'NOT_FOUND', `Unknown agent ${JSON.stringify(agentId.slice(0, 100))}`);

/** An unknown path: says which paths exist, so a client with a wrong base URL can tell. */
export const unknownPathBody = (method: string, path: string): HttpErrorBody =>
  httpErrorBody(
    404,
    'NOT_FOUND',
    `No route for ${method} ${path.slice(0, 200)}. A2A endpoints: POST / and POST /agents/{agentId}; cards at /.well-known/agent-card.json and /agents/{agentId}/.well-known/agent-card.json`,
  );
