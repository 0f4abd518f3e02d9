/**
 * The one table from typed errors to JSON-RPC codes. Every error carries a google.rpc.ErrorInfo
 * (domain a2a-protocol.org); invalid params add a google.rpc.BadRequest. Unknown errors become
 * -32603 with a generic message: details go to the log, never to the caller.
 */
import {
  A2AError,
  type A2AErrorReason,
  InvalidParamsError,
  ItemTooLargeError,
  RetryableError,
  TenantQueueFullError,
} from '../../core/errors';

export const ERROR_DOMAIN = 'a2a-protocol.org';

export const JsonRpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  TaskNotFound: -32001,
  TaskNotCancelable: -32002,
  PushNotificationNotSupported: -32003,
  UnsupportedOperation: -32004,
  ContentTypeNotSupported: -32005,
  InvalidAgentResponse: -32006,
  ExtendedAgentCardNotConfigured: -32007,
  ExtensionSupportRequired: -32008,
  VersionNotSupported: -32009,
} as const;

/**
 * Reasons answered before this table: RESOURCE_EXHAUSTED by toJsonRpcError's own branch (429 and
 * Retry-After), PERMISSION_DENIED by the transport as HTTP 403 (gateway/rpc/rpc-handler.ts).
 */
type ReasonAnsweredElsewhere = 'RESOURCE_EXHAUSTED' | 'PERMISSION_DENIED';

/** Every other reason has its code here: a reason added to A2AErrorReason fails the typecheck until mapped. */
export const CODE_BY_REASON = {
  TASK_NOT_FOUND: JsonRpcCode.TaskNotFound,
  TASK_NOT_CANCELABLE: JsonRpcCode.TaskNotCancelable,
  PUSH_NOTIFICATION_NOT_SUPPORTED: JsonRpcCode.PushNotificationNotSupported,
  UNSUPPORTED_OPERATION: JsonRpcCode.UnsupportedOperation,
  CONTENT_TYPE_NOT_SUPPORTED: JsonRpcCode.ContentTypeNotSupported,
  INVALID_AGENT_RESPONSE: JsonRpcCode.InvalidAgentResponse,
  EXTENDED_AGENT_CARD_NOT_CONFIGURED: JsonRpcCode.ExtendedAgentCardNotConfigured,
  EXTENSION_SUPPORT_REQUIRED: JsonRpcCode.ExtensionSupportRequired,
  VERSION_NOT_SUPPORTED: JsonRpcCode.VersionNotSupported,
  INVALID_PARAMS: JsonRpcCode.InvalidParams,
  PUSH_CONFIG_LIMIT_EXCEEDED: JsonRpcCode.InvalidParams,
  PUSH_CONFIG_NOT_OWNED: JsonRpcCode.InvalidParams,
} as const satisfies Record<Exclude<A2AErrorReason, ReasonAnsweredElsewhere>, number>;

const codeOf = (reason: A2AErrorReason): number | undefined =>
  Object.hasOwn(CODE_BY_REASON, reason) ? CODE_BY_REASON[reason as keyof typeof CODE_BY_REASON] : undefined;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data: Record<string, unknown>[];
}

export function errorInfo(reason: string, metadata: Record<string, string> = {}): Record<string, unknown> {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: ERROR_DOMAIN, metadata };
}

export function jsonRpcError(
  code: number,
  message: string,
  reason: string,
  metadata: Record<string, string> = {},
): JsonRpcErrorObject {
  return { code, message, data: [errorInfo(reason, metadata)] };
}

/** An HTTP status and headers other than the envelope's usual 200 (e.g. 429 with Retry-After). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
}

/**
 * Maps a thrown error to a JSON-RPC error object; `internal` tells the caller to log it, `http`
 * (when present) how to answer over HTTP.
 */
export function toJsonRpcError(err: unknown): {
  error: JsonRpcErrorObject;
  internal: boolean;
  http?: HttpAnswer;
} {
  if (err instanceof TenantQueueFullError) {
    // like a tenant over its in-flight share (gateway/overload.ts): -32603, 429, Retry-After
    return {
      error: jsonRpcError(JsonRpcCode.Internal, err.message, err.reason, err.metadata),
      internal: false,
      http: { status: 429, headers: { 'retry-after': String(err.retryAfterSeconds) } },
    };
  }
  if (err instanceof ItemTooLargeError) {
    const msg = `The request is too large to store (${err.bytes} bytes; the limit is ${err.limit})`;
    return { error: jsonRpcError(JsonRpcCode.InvalidParams, msg, 'REQUEST_TOO_LARGE'), internal: false };
  }
  if (err instanceof RetryableError) {
    const msg = 'The service is temporarily unavailable; retry the request';
    return { error: jsonRpcError(JsonRpcCode.Internal, msg, 'UNAVAILABLE'), internal: false };
  }
  if (err instanceof A2AError) {
    const code = codeOf(err.reason);
    if (code !== undefined) {
      const error = jsonRpcError(code, err.message, err.reason, err.metadata);
      if (err instanceof InvalidParamsError && err.violations.length > 0) {
        error.data.push({
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: err.violations,
        });
      }
      return { error, internal: false };
    }
  }
  return { error: jsonRpcError(JsonRpcCode.Internal, 'Internal error', 'INTERNAL'), internal: true };
}
