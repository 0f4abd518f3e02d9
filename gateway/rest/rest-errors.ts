/**
 * Errors of the HTTP+JSON binding: a google.rpc.Status body (`{error: {code, status, message,
 * details}}`, AIP-193) whose `details` carry the same google.rpc.ErrorInfo (and BadRequest) as
 * the JSON-RPC error's `data`, under the HTTP status A2A 1.0.1 maps each error to (spec §5.4).
 * The JSON-RPC table (json-rpc/error-codes.ts) stays the one place that names each error; this
 * module only maps its codes to HTTP.
 */
import { PermissionDeniedError } from '../../core/errors';
import { StreamLimitError } from '../dispatch/dispatcher';
import { type JsonOutcome, jsonOutcome } from '../dispatch/outcome';
import { bodyTooLargeMessage, forbidden, type HttpStatusName, httpErrorBody } from '../http-errors';
import { errorInfo, JsonRpcCode, toJsonRpcError } from '../json-rpc/error-codes';

const BAD: readonly [number, HttpStatusName] = [400, 'INVALID_ARGUMENT'];
const PRECONDITION: readonly [number, HttpStatusName] = [400, 'FAILED_PRECONDITION'];
const INTERNAL: readonly [number, HttpStatusName] = [500, 'INTERNAL'];

/** A2A 1.0.1's mapping (1.0.0 had 409 for not-cancelable, 415 for content type, 502 for agent response). */
const STATUS_BY_CODE: Readonly<Record<number, readonly [number, HttpStatusName]>> = {
  [JsonRpcCode.ParseError]: BAD,
  [JsonRpcCode.InvalidRequest]: BAD,
  [JsonRpcCode.MethodNotFound]: [404, 'NOT_FOUND'],
  [JsonRpcCode.InvalidParams]: BAD,
  [JsonRpcCode.Internal]: INTERNAL,
  [JsonRpcCode.TaskNotFound]: [404, 'NOT_FOUND'],
  [JsonRpcCode.TaskNotCancelable]: PRECONDITION,
  [JsonRpcCode.PushNotificationNotSupported]: PRECONDITION,
  [JsonRpcCode.UnsupportedOperation]: PRECONDITION,
  [JsonRpcCode.ContentTypeNotSupported]: BAD,
  [JsonRpcCode.InvalidAgentResponse]: INTERNAL,
  [JsonRpcCode.ExtendedAgentCardNotConfigured]: PRECONDITION,
  [JsonRpcCode.ExtensionSupportRequired]: PRECONDITION,
  [JsonRpcCode.VersionNotSupported]: PRECONDITION,
};

/** google.rpc.Code names of the HTTP statuses the JSON-RPC table's overrides use. */
const NAME_BY_STATUS: Readonly<Record<number, HttpStatusName>> = {
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

export interface RestError {
  outcome: JsonOutcome;
  /** the JSON-RPC code of the same error (metrics count both bindings by it) */
  code: number;
  /** log it: an unexpected failure */
  internal: boolean;
}

export function toRestError(err: unknown): RestError {
  if (err instanceof PermissionDeniedError)
    return { outcome: forbidden(err.scope), code: 403, internal: false };
  if (err instanceof StreamLimitError) {
    const status = err.limit === 'process' ? 503 : 429;
    const details = [errorInfo(err.reason, { limit: err.limit, max: String(err.max) })];
    const body = httpErrorBody(status, NAME_BY_STATUS[status] ?? 'UNAVAILABLE', err.message, details);
    return {
      outcome: jsonOutcome(status, body, { 'retry-after': '5' }),
      code: JsonRpcCode.Internal,
      internal: false,
    };
  }
  const { error, internal, http } = toJsonRpcError(err);
  const reason = (error.data[0] as { reason?: unknown } | undefined)?.reason;
  let [status, name] = STATUS_BY_CODE[error.code] ?? INTERNAL;
  if (http) [status, name] = [http.status, NAME_BY_STATUS[http.status] ?? name];
  else if (reason === 'UNAVAILABLE') [status, name] = [503, 'UNAVAILABLE'];
  const body = httpErrorBody(status, name, error.message, error.data);
  return { outcome: jsonOutcome(status, body, http?.headers ?? {}), code: error.code, internal };
}

/** An error the binding itself finds (a body that is not JSON, a path id that disagrees…). */
export function restError(
  status: number,
  name: HttpStatusName,
  message: string,
  reason: string,
): JsonOutcome {
  return jsonOutcome(status, httpErrorBody(status, name, message, [errorInfo(reason)]));
}

/** 405 for a path of the binding that does not serve this HTTP method, with `Allow`. */
export function methodNotAllowed(
  method: string,
  path: string,
  allow: readonly string[],
  contentType: string,
) {
  const msg = `${method} is not served on ${path.slice(0, 200)}; use ${allow.join(' or ')}`;
  const outcome = restError(405, 'UNIMPLEMENTED', msg, 'METHOD_NOT_ALLOWED');
  return { ...outcome, headers: { allow: allow.join(', '), 'content-type': contentType } };
}

/** 413 in the binding's shape. */
export const restBodyTooLarge = (limit: number): JsonOutcome =>
  restError(413, 'INVALID_ARGUMENT', bodyTooLargeMessage(limit), 'REQUEST_TOO_LARGE');
