/**
 * The JSON-RPC binding without its transport: the fastify route and the Lambda streaming handler
 * both call it. Order of checks: agent and agent scope (404/403) -> Content-Type (-32005) ->
 * envelope (-32700/-32600) -> A2A-Version (-32009) -> method of that version (-32601) -> the
 * dispatcher's checks (scope 403, streaming -32004, params -32602) -> notification refusal
 * (-32600) -> use case. Anything that fails before the first SSE event is a plain JSON response;
 * a stream outcome is piped by the caller into its transport.
 */
import type { Principal } from '../../core/context';
import { PermissionDeniedError, VersionNotSupportedError } from '../../core/errors';
import type { Logger } from '../../core/ports/logger';
import { Metric, silentMetrics } from '../../core/ports/metrics';
import { admitAgent, contentTypeMessage, isJsonMediaType, mediaTypeOf } from '../dispatch/admission';
import { callBase, type Dispatcher, StreamLimitError } from '../dispatch/dispatcher';
import { jsonOutcome, type Outcome } from '../dispatch/outcome';
import type { GatewayDeps } from '../gateway-deps';
import { bodyTooLargeMessage, forbidden } from '../http-errors';
import { type JsonRpcId, parseEnvelope } from '../json-rpc/envelope';
import { JsonRpcCode, type JsonRpcErrorObject, jsonRpcError, toJsonRpcError } from '../json-rpc/error-codes';
import type { FrameCodec } from '../streaming/sse-session';
import {
  findMethod,
  type Headers,
  isSupported,
  methodNotFoundMessage,
  requestedVersion,
  SUPPORTED_VERSIONS,
} from './protocol-version';

export interface RpcInput {
  agentId: string;
  principal: Principal;
  /** lowercase header names */
  headers: Headers;
  query?: Readonly<Record<string, unknown>>;
  body: string;
  requestId: string;
  log: Logger;
}

export interface RpcHandler {
  handle(input: RpcInput): Promise<Outcome>;
}

const rpcError = (
  status: number,
  id: JsonRpcId,
  error: JsonRpcErrorObject,
  headers?: Record<string, string>,
) => jsonOutcome(status, { jsonrpc: '2.0', id, error }, headers);

/** Each SSE event is a JSON-RPC response with the request's id; a failure, its error. */
const jsonRpcFrames = (id: JsonRpcId): FrameCodec => ({
  event: (result) => ({ jsonrpc: '2.0', id, result }),
  error: (err) => {
    const { error, internal } = toJsonRpcError(err);
    return { body: { jsonrpc: '2.0', id, error }, internal };
  },
});

export function createRpcHandler(deps: GatewayDeps, dispatcher: Dispatcher): RpcHandler {
  async function handle(input: RpcInput): Promise<Outcome> {
    const { principal, agentId, headers } = input;
    const refused = admitAgent(deps, agentId, principal);
    if (refused) return refused;
    const mediaType = mediaTypeOf(headers);
    if (!isJsonMediaType(mediaType)) {
      const error = jsonRpcError(
        JsonRpcCode.ContentTypeNotSupported,
        contentTypeMessage(mediaType),
        'CONTENT_TYPE_NOT_SUPPORTED',
      );
      return rpcError(200, null, error);
    }
    const envelope = parseEnvelope(input.body);
    if (!envelope.ok) return rpcError(200, envelope.id, envelope.error);
    const { id, method: name, params } = envelope.request;

    const base = callBase(
      { agentId, principal, headers, requestId: input.requestId, log: input.log },
      { method: name },
    );
    const { log } = base;
    try {
      const version = requestedVersion(headers, input.query);
      if (!isSupported(version)) throw new VersionNotSupportedError(version, SUPPORTED_VERSIONS);
      const method = findMethod(version, name);
      if (!method) {
        const message = methodNotFoundMessage(version, name);
        return rpcError(200, id, jsonRpcError(JsonRpcCode.MethodNotFound, message, 'METHOD_NOT_FOUND'));
      }
      const call = { ...base, version, method };
      const parsed = dispatcher.admit(call, params);
      if (envelope.request.notification) {
        const msg = 'The request needs an id (notifications are not supported)';
        return rpcError(200, null, jsonRpcError(JsonRpcCode.InvalidRequest, msg, 'INVALID_REQUEST'));
      }
      const done = await dispatcher.run(call, parsed, jsonRpcFrames(id));
      return 'result' in done ? jsonOutcome(200, { jsonrpc: '2.0', id, result: done.result }) : done;
    } catch (err) {
      // a use case's own scope check (the edge checks first): the same 403 as the edge's
      if (err instanceof PermissionDeniedError) return forbidden(err.scope);
      if (err instanceof StreamLimitError) {
        const error = jsonRpcError(JsonRpcCode.Internal, err.message, err.reason, {
          limit: err.limit,
          max: String(err.max),
        });
        return rpcError(err.limit === 'process' ? 503 : 429, id, error, { 'retry-after': '5' });
      }
      const { error, internal, http } = toJsonRpcError(err);
      if (internal) log.error({ err }, 'method failed');
      else log.debug({ code: error.code }, 'method error');
      return rpcError(http?.status ?? 200, id, error, http?.headers);
    }
  }

  const metrics = deps.metrics ?? silentMetrics;
  /** Counts what operators alarm on: JSON-RPC errors by code, scope denials. */
  async function metered(input: RpcInput): Promise<Outcome> {
    const outcome = await handle(input);
    if (outcome.kind === 'json') {
      if (outcome.status === 403) metrics.count(Metric.AuthDenials, { reason: 'insufficient_scope' });
      const code = (outcome.body as { error?: { code?: unknown } }).error?.code;
      if (typeof code === 'number') metrics.count(Metric.RpcErrors, { code: String(code) });
    }
    return outcome;
  }

  return { handle: metered };
}

/** 413 as a JSON-RPC error (the request's id is unknown: the body was not read). */
export const rpcBodyTooLarge = (limit: number) =>
  rpcError(
    413,
    null,
    jsonRpcError(JsonRpcCode.InvalidRequest, bodyTooLargeMessage(limit), 'REQUEST_TOO_LARGE'),
  );
