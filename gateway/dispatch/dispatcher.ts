/**
 * The part of an A2A call that does not depend on the binding: once JSON-RPC or HTTP+JSON has
 * named the method and gathered its params, the same checks and the same use case run here.
 * Order: method scope (403) -> streaming served here (-32004) -> params (-32602) -> tenant
 * (-32602) -> [the binding's own last check] -> Last-Event-ID (-32602) -> stream limits
 * (503/429) -> use case. Failures are thrown as typed errors; each binding maps them to its wire.
 */
import { type Principal, type RequestContext, traceIdOf } from '../../core/context';
import { InvalidParamsError, PermissionDeniedError, UnsupportedOperationError } from '../../core/errors';
import { type Logger, lazyChild } from '../../core/ports/logger';
import type { ProtocolVersion } from '../../core/task-record';
import { extendedCardSource } from '../cards/extended-card';
import type { GatewayDeps } from '../gateway-deps';
import type { MethodCall, MethodDefinition } from '../json-rpc/method-table';
import { traceparentFor } from '../routes/request-context';
import type { Headers } from '../rpc/protocol-version';
import { type FrameCodec, SseSession } from '../streaming/sse-session';
import { StreamLimiter } from '../streaming/stream-limiter';
import type { StreamOutcome } from './outcome';

/** This process (or this tenant) holds as many open streams as it may: 503 or 429. */
export class StreamLimitError extends Error {
  readonly reason = 'RESOURCE_EXHAUSTED';
  constructor(
    readonly limit: 'process' | 'tenant',
    readonly max: number,
  ) {
    super(
      limit === 'process'
        ? 'This gateway instance holds as many open streams as it may; retry shortly'
        : `This tenant holds the maximum of ${max} open streams; close one or retry shortly`,
    );
    this.name = 'StreamLimitError';
  }
}

export interface Call {
  agentId: string;
  principal: Principal;
  /** lowercase header names */
  headers: Headers;
  version: ProtocolVersion;
  method: MethodDefinition;
  requestId: string;
  /** W3C trace context of this call (traceparentFor) */
  traceparent: string;
  /** the request's logger, with the method, tenant and trace id */
  log: Logger;
}

/** What a call carries before its method is known: who, which agent, its trace and its logger. */
export type CallBase = Omit<Call, 'version' | 'method'>;

/**
 * The request's part of a call: the trace it continues (or starts) and a logger bound to the
 * method, tenant and trace id (made on its first line). `bindings` adds the binding's own fields.
 */
export function callBase(
  input: { agentId: string; principal: Principal; headers: Headers; requestId: string; log: Logger },
  bindings: Record<string, unknown>,
): CallBase {
  const traceparent = traceparentFor(input.headers.traceparent, input.headers['x-amzn-trace-id']);
  const log = lazyChild(input.log, {
    ...bindings,
    tenant: input.principal.tenant,
    traceId: traceIdOf(traceparent),
  });
  return { ...input, traceparent, log };
}

export interface Dispatcher {
  /** Scope, serving and params checks; returns the validated params. */
  admit(call: Call, params: unknown): unknown;
  /** Runs the use case: a unary result, or a stream whose frames `codec` wraps. */
  run(call: Call, params: unknown, codec: FrameCodec): Promise<{ result: unknown } | StreamOutcome>;
  /** open streams of this process */
  readonly limiter: StreamLimiter | undefined;
  /** ends every open stream */
  shutdown(): void;
}

export function createDispatcher(deps: GatewayDeps): Dispatcher {
  const s = deps.streaming;
  const limiter = s ? new StreamLimiter(s.maxStreamsPerProcess, s.maxStreamsPerTenant) : undefined;
  const extended = deps.cards.extendedAgentCard
    ? extendedCardSource(deps.useCases.agents, deps.cards)
    : undefined;

  function admit(call: Call, params: unknown): unknown {
    const { method, principal } = call;
    if (method.scope && !principal.scopes.includes(method.scope))
      throw new PermissionDeniedError(method.scope);
    if (method.streaming && !s) throw new UnsupportedOperationError(streamingElsewhere(deps));
    const parsed = method.parse(params);
    assertTenant(parsed, principal);
    return parsed;
  }

  async function run(call: Call, parsed: unknown, codec: FrameCodec) {
    const { principal, headers, method, log } = call;
    const ctx: RequestContext = { principal, requestId: call.requestId, traceparent: call.traceparent };
    const mc: MethodCall = {
      deps: deps.useCases,
      ctx,
      agent: { agentId: call.agentId },
      protocol: call.version,
      stream: {},
    };
    if (extended) mc.extendedCard = extended;
    if (!method.streaming) {
      const result = await method.run(mc, parsed);
      log.debug({}, 'call answered');
      return { result };
    }
    if (!s || !limiter) throw new UnsupportedOperationError('Streaming is not served on this endpoint');
    const afterSeq = lastEventId(headers);
    const lease = limiter.acquire(principal.tenant);
    if (!lease.ok) throw new StreamLimitError(lease.limit, lease.max);
    try {
      mc.stream = { directReplyWaitMs: s.directReplyWaitMs, ...(afterSeq === undefined ? {} : { afterSeq }) };
      const { stream, render } = await method.run(mc, parsed);
      const session = new SseSession({
        stream,
        render,
        codec,
        lease,
        heartbeatMs: s.heartbeatMs,
        maxDurationMs: s.maxDurationMs,
        log: log.child({ taskId: stream.taskId }),
      });
      return { kind: 'stream' as const, session };
    } catch (err) {
      lease.release();
      throw err;
    }
  }

  return { admit, run, limiter, shutdown: () => limiter?.shutdown() };
}

/** Where a client should stream instead, when this process serves no streams. */
function streamingElsewhere(deps: GatewayDeps): string {
  const there = deps.cards.streaming ? deps.cards.interfaceUrl : undefined;
  return there
    ? `Streaming is not served on this endpoint; use the interface in the agent card (${there})`
    : 'Streaming is not served on this endpoint (capabilities.streaming is false)';
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

/** A request's `tenant` (params, or the HTTP+JSON path prefix) must be the token's. */
function assertTenant(params: unknown, principal: Principal): void {
  const tenant = (params as { tenant?: string }).tenant;
  if (tenant !== undefined && tenant !== '' && tenant !== principal.tenant) {
    throw new InvalidParamsError('params.tenant does not match the authenticated tenant', [
      { field: 'tenant', description: 'must be empty or equal to the tenant of the token' },
    ]);
  }
}
