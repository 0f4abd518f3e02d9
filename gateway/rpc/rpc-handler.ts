/**
 * The JSON-RPC endpoint without its transport: the fastify route and the Lambda streaming handler
 * both call it. Order of checks: agent and agent scope (404/403) -> Content-Type (-32005) ->
 * envelope (-32700/-32600) -> A2A-Version (-32009) -> method of that version (-32601) -> method
 * scope (403) -> streaming served here (-32004) -> params (-32602) -> Last-Event-ID (-32602) ->
 * stream limits (503/429) -> use case. Anything that fails before the first SSE event is a plain
 * JSON response; a stream outcome is piped by the caller into its transport.
 */
import { type Principal, type RequestContext, traceIdOf } from '../../core/context';
import {
  InvalidParamsError,
  PermissionDeniedError,
  UnsupportedOperationError,
  VersionNotSupportedError,
} from '../../core/errors';
import type { Logger } from '../../core/ports/logger';
import { Metric, silentMetrics } from '../../core/ports/metrics';
import { mayUseAgent } from '../../core/scopes';
import { extendedCardSource } from '../cards/extended-card';
import type { GatewayDeps } from '../gateway-deps';
import { httpErrorBody, unknownAgentBody } from '../http-errors';
import { type JsonRpcId, parseEnvelope } from '../json-rpc/envelope';
import { JsonRpcCode, type JsonRpcErrorObject, jsonRpcError, toJsonRpcError } from '../json-rpc/error-codes';
import type { MethodCall } from '../json-rpc/method-table';
import { traceparentFor } from '../routes/request-context';
import { SseSession } from '../streaming/sse-session';
import { StreamLimiter } from '../streaming/stream-limiter';
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

export type JsonOutcome = { kind: 'json'; status: number; headers: Record<string, string>; body: unknown };
export type RpcOutcome = JsonOutcome | { kind: 'stream'; session: SseSession };

export interface RpcHandler {
  handle(input: RpcInput): Promise<RpcOutcome>;
  /** open streams of this process */
  readonly limiter: StreamLimiter | undefined;
  /** ends every open stream */
  shutdown(): void;
}

const JSON_TYPES = new Set(['application/json', 'application/a2a+json']);

const json = (status: number, body: unknown, headers: Record<string, string> = {}): JsonOutcome => ({
  kind: 'json',
  status,
  headers,
  body,
});
const rpcError = (
  status: number,
  id: JsonRpcId,
  error: JsonRpcErrorObject,
  headers?: Record<string, string>,
) => json(status, { jsonrpc: '2.0', id, error }, headers);

export function forbidden(scope: string): JsonOutcome {
  return json(403, httpErrorBody(403, 'PERMISSION_DENIED', `The token lacks the scope ${scope}`), {
    'www-authenticate': `Bearer realm="a2a", error="insufficient_scope", scope="${scope}"`,
  });
}

export function unauthenticated(tokenPresented: boolean): JsonOutcome {
  const challenge = tokenPresented ? 'Bearer realm="a2a", error="invalid_token"' : 'Bearer realm="a2a"';
  return json(401, httpErrorBody(401, 'UNAUTHENTICATED', 'A valid bearer token is required'), {
    'www-authenticate': challenge,
  });
}

export function createRpcHandler(deps: GatewayDeps): RpcHandler {
  const s = deps.streaming;
  const limiter = s ? new StreamLimiter(s.maxStreamsPerProcess, s.maxStreamsPerTenant) : undefined;
  const extended = deps.cards.extendedAgentCard
    ? extendedCardSource(deps.useCases.agents, deps.cards)
    : undefined;

  async function handle(input: RpcInput): Promise<RpcOutcome> {
    const { principal, agentId, headers } = input;
    if (!deps.useCases.agents.get(agentId)) {
      return json(404, unknownAgentBody(agentId));
    }
    if (!mayUseAgent(principal.scopes, agentId)) return forbidden(`agent:${agentId}`);
    const rawType = headers['content-type'];
    const contentType =
      (typeof rawType === 'string' ? rawType : '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!JSON_TYPES.has(contentType)) {
      const msg = `Content-Type must be application/json (got ${contentType === '' ? 'none' : JSON.stringify(contentType.slice(0, 100))})`;
      return rpcError(
        200,
        null,
        jsonRpcError(JsonRpcCode.ContentTypeNotSupported, msg, 'CONTENT_TYPE_NOT_SUPPORTED'),
      );
    }
    const envelope = parseEnvelope(input.body);
    if (!envelope.ok) return rpcError(200, envelope.id, envelope.error);
    const { id, method: name, params } = envelope.request;

    const traceparent = traceparentFor(headers.traceparent, headers['x-amzn-trace-id']);
    const log = input.log.child({ method: name, tenant: principal.tenant, traceId: traceIdOf(traceparent) });
    try {
      const version = requestedVersion(headers, input.query);
      if (!isSupported(version)) throw new VersionNotSupportedError(version, SUPPORTED_VERSIONS);
      const def = findMethod(version, name);
      if (!def) {
        const error = jsonRpcError(
          JsonRpcCode.MethodNotFound,
          methodNotFoundMessage(version, name),
          'METHOD_NOT_FOUND',
        );
        return rpcError(200, id, error);
      }
      if (def.scope && !principal.scopes.includes(def.scope)) return forbidden(def.scope);
      if (def.streaming && !s) throw new UnsupportedOperationError(streamingElsewhere(deps));
      const parsed = def.parse(params);
      assertTenant(parsed, principal);
      if (envelope.request.notification) {
        const msg = 'The request needs an id (notifications are not supported)';
        return rpcError(200, null, jsonRpcError(JsonRpcCode.InvalidRequest, msg, 'INVALID_REQUEST'));
      }
      const ctx: RequestContext = {
        principal,
        requestId: input.requestId,
        traceparent,
      };
      const call: MethodCall = {
        deps: deps.useCases,
        ctx,
        agent: { agentId },
        protocol: version,
        stream: {},
      };
      if (extended) call.extendedCard = extended;
      if (!def.streaming) {
        const result = await def.run(call, parsed);
        log.debug({}, 'rpc answered');
        return json(200, { jsonrpc: '2.0', id, result });
      }
      if (!s || !limiter) throw new UnsupportedOperationError('Streaming is not served on this endpoint');

      const afterSeq = lastEventId(headers);
      const lease = limiter.acquire(principal.tenant);
      if (!lease.ok) return refused(id, lease.limit, lease.max);
      try {
        call.stream = {
          directReplyWaitMs: s.directReplyWaitMs,
          ...(afterSeq === undefined ? {} : { afterSeq }),
        };
        const { stream, render } = await def.run(call, parsed);
        const session = new SseSession({
          stream,
          render,
          rpcId: id,
          lease,
          heartbeatMs: s.heartbeatMs,
          maxDurationMs: s.maxDurationMs,
          log: log.child({ taskId: stream.taskId }),
        });
        return { kind: 'stream', session };
      } catch (err) {
        lease.release();
        throw err;
      }
    } catch (err) {
      // a use case's own scope check (the edge checks first): the same 403 as the edge's
      if (err instanceof PermissionDeniedError) return forbidden(err.scope);
      const { error, internal, http } = toJsonRpcError(err);
      if (internal) log.error({ err }, 'method failed');
      else log.debug({ code: error.code }, 'method error');
      return rpcError(http?.status ?? 200, id, error, http?.headers);
    }
  }

  const metrics = deps.metrics ?? silentMetrics;
  /** Counts what operators alarm on: JSON-RPC errors by code, scope denials. */
  async function metered(input: RpcInput): Promise<RpcOutcome> {
    const outcome = await handle(input);
    if (outcome.kind === 'json') {
      if (outcome.status === 403) metrics.count(Metric.AuthDenials, { reason: 'insufficient_scope' });
      const code = (outcome.body as { error?: { code?: unknown } }).error?.code;
      if (typeof code === 'number') metrics.count(Metric.RpcErrors, { code: String(code) });
    }
    return outcome;
  }

  return { handle: metered, limiter, shutdown: () => limiter?.shutdown() };
}

/** Where a client should stream instead, when this process serves no streams. */
function streamingElsewhere(deps: GatewayDeps): string {
  const there = deps.cards.streaming ? deps.cards.interfaceUrl : undefined;
  return there
    ? `Streaming is not served on this endpoint; use the interface in the agent card (${there})`
    : 'Streaming is not served on this endpoint (capabilities.streaming is false)';
}

function refused(id: JsonRpcId, limit: 'process' | 'tenant', max: number): JsonOutcome {
  const message =
    limit === 'process'
      ? 'This gateway instance holds as many open streams as it may; retry shortly'
      : `This tenant holds the maximum of ${max} open streams; close one or retry shortly`;
  const error = jsonRpcError(JsonRpcCode.Internal, message, 'RESOURCE_EXHAUSTED', {
    limit,
    max: String(max),
  });
  return rpcError(limit === 'process' ? 503 : 429, id, error, { 'retry-after': '5' });
}

/** The SSE Last-Event-ID header: the seq after which a reconnect resumes. */
function lastEventId(headers: Headers): number | undefined {
  const raw = headers['last-event-id'];
  if (raw === undefined) return undefined;
  const value = (Array.isArray(raw) ? (raw[0] ?? '') : raw).trim();
  const n = Number(value);
  if (!/^\d{1,15}$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidParamsError('Last-Event-ID must be an event id (a non-negative integer)', [
      { field: 'Last-Event-ID', description: 'must be the id of an event this stream sent' },
    ]);
  }
  return n;
}

function assertTenant(params: unknown, principal: Principal): void {
  const tenant = (params as { tenant?: string }).tenant;
  if (tenant !== undefined && tenant !== '' && tenant !== principal.tenant) {
    throw new InvalidParamsError('params.tenant does not match the authenticated tenant', [
      { field: 'tenant', description: 'must be empty or equal to the tenant of the token' },
    ]);
  }
}
