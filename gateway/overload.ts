/**
 * Load shedding for a gateway process: a bounded number of requests in flight (process-wide and
 * per tenant) and, optionally, no new work while the event loop is stalled. Beyond a bound the
 * request is refused at once instead of queueing without limit:
 * - process full or event loop stalled: HTTP 503, `Retry-After`, JSON-RPC -32603 `UNAVAILABLE`;
 * - one tenant over its share: HTTP 429, `Retry-After`, JSON-RPC -32603 `RESOURCE_EXHAUSTED`.
 *
 * The process bound is checked in `onRequest`, before the JWT is verified and the body read, so a
 * refusal costs almost nothing. The tenant bound needs the principal, so it is checked in
 * `preParsing`: after the A2A endpoint's auth hook (an `onRequest` hook) and before the body is
 * read, so a request counts against its tenant from the moment it is authenticated, and one
 * tenant's slow bodies hold at most its own share of slots (the time to send a request is bounded
 * separately, gateway/request-timeouts.ts). The tenant share is below the process bound, so one
 * tenant can never take every slot. A refusal closes the connection (its body is never read).
 * GET/HEAD/OPTIONS (cards, health, JWKS) are not counted, except HTTP+JSON's A2A operations
 * (GetTask, ListTasks, … are GETs there); a refusal of those is a google.rpc.Status body. A hijacked reply (an SSE stream) gives
 * its slot back when it is hijacked: open streams have their own bound
 * (gateway/streaming/stream-limiter.ts).
 *
 * In Lambda one instance serves one request at a time, so the in-flight bounds never bind there,
 * and a thawed instance sees its frozen time as an event-loop stall: keep `maxEventLoopDelayMs` 0
 * (the default) there; long-running servers (the local stack, containers) may turn it on.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpErrorBody } from './http-errors';
import { JsonRpcCode, jsonRpcError } from './json-rpc/error-codes';
import { restMatchOf } from './rest/request-match';

export interface OverloadSettings {
  /** requests in flight in this process; beyond it 503 */
  maxInFlight: number;
  /**
   * requests in flight per tenant, below maxInFlight; beyond it 429 (0 = no tenant bound, for
   * single-tenant rigs). Default: a quarter of maxInFlight (64 of 256).
   */
  maxInFlightPerTenant: number;
  /** refuse new requests while the worst event-loop stall of the last sample exceeds this (0 = off) */
  maxEventLoopDelayMs: number;
  /** how often the event-loop delay is sampled */
  sampleIntervalMs: number;
  /** the Retry-After of a refusal */
  retryAfterSeconds: number;
}

export const DEFAULT_OVERLOAD_SETTINGS: Readonly<OverloadSettings> = Object.freeze({
  maxInFlight: 256,
  maxInFlightPerTenant: 64,
  maxEventLoopDelayMs: 0,
  sampleIntervalMs: 200,
  retryAfterSeconds: 2,
});

export type OverloadLimit = 'process' | 'tenant' | 'event-loop';

export interface OverloadStats {
  inFlight: number;
  peakInFlight: number;
  /** the highest in-flight count any one tenant reached */
  peakTenantInFlight: number;
  accepted: number;
  refused: Record<OverloadLimit, number>;
  /** the worst stall of the last sample, ms */
  eventLoopDelayMs: number;
}

export interface OverloadGuard {
  readonly settings: Readonly<OverloadSettings>;
  stats(): OverloadStats;
}

interface Slot {
  tenant?: string;
  released: boolean;
}

const COUNTED = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An HTTP+JSON operation (any verb), as opposed to a JSON-RPC call or a plain route. */
const isRestCall = (request: FastifyRequest): boolean => restMatchOf(request)?.ok === true;

/**
 * Adds the guard's hooks to the root instance: they run for every route, those registered before
 * included, and the process bound runs before the A2A endpoint's auth hook (root hooks come first).
 */
export function registerOverloadGuard(
  app: FastifyInstance,
  overrides: Partial<OverloadSettings> = {},
): OverloadGuard {
  const maxInFlight = overrides.maxInFlight ?? DEFAULT_OVERLOAD_SETTINGS.maxInFlight;
  const settings: Readonly<OverloadSettings> = Object.freeze({
    ...DEFAULT_OVERLOAD_SETTINGS,
    maxInFlightPerTenant: tenantShare(maxInFlight),
    ...overrides,
  });
  checkSettings(settings);
  const slots = new WeakMap<FastifyRequest, Slot>();
  const tenants = new Map<string, number>();
  const refused: Record<OverloadLimit, number> = { process: 0, tenant: 0, 'event-loop': 0 };
  let inFlight = 0;
  let peakInFlight = 0;
  let peakTenantInFlight = 0;
  let accepted = 0;
  const loop = watchEventLoop(app, settings);

  const release = (slot: Slot): void => {
    if (slot.released) return;
    slot.released = true;
    inFlight -= 1;
    if (slot.tenant === undefined) return;
    const left = (tenants.get(slot.tenant) ?? 1) - 1;
    if (left <= 0) tenants.delete(slot.tenant);
    else tenants.set(slot.tenant, left);
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!COUNTED.has(request.method) && !isRestCall(request)) return;
    if (loop.stalled()) return refuse(request, reply, settings, refused, 'event-loop');
    if (inFlight >= settings.maxInFlight) return refuse(request, reply, settings, refused, 'process');
    const slot: Slot = { released: false };
    slots.set(request, slot);
    inFlight += 1;
    accepted += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    reply.raw.once('close', () => release(slot));
    const hijack = reply.hijack.bind(reply);
    reply.hijack = () => {
      release(slot);
      return hijack();
    };
  });

  // Root preParsing hooks run after every onRequest hook (auth included) and before the body is read.
  app.addHook('preParsing', async (request, reply) => {
    const slot = slots.get(request);
    const tenant = tenantOf(request);
    if (!slot || slot.released || tenant === undefined || settings.maxInFlightPerTenant === 0) return;
    const held = tenants.get(tenant) ?? 0;
    if (held >= settings.maxInFlightPerTenant) {
      release(slot);
      refuse(request, reply, settings, refused, 'tenant');
      return;
    }
    tenants.set(tenant, held + 1);
    slot.tenant = tenant;
    peakTenantInFlight = Math.max(peakTenantInFlight, held + 1);
  });

  // The raw 'close' covers real sockets; these cover app.inject() and aborted requests.
  app.addHook('onResponse', async (request) => {
    const slot = slots.get(request);
    if (slot) release(slot);
  });
  app.addHook('onRequestAbort', async (request) => {
    const slot = slots.get(request);
    if (slot) release(slot);
  });

  return {
    settings,
    stats: () => ({
      inFlight,
      peakInFlight,
      peakTenantInFlight,
      accepted,
      refused: { ...refused },
      eventLoopDelayMs: loop.delayMs(),
    }),
  };
}

/** The default tenant share: a quarter of the process bound (none when the process has one slot). */
function tenantShare(maxInFlight: number): number {
  const share = Math.max(1, Math.floor(maxInFlight / 4));
  return share < maxInFlight ? share : 0;
}

/** The tenant of an authenticated request (set by the A2A endpoint's auth hook), if any. */
function tenantOf(request: FastifyRequest): string | undefined {
  const principal = (request as { principal?: { tenant?: unknown } | null }).principal;
  return typeof principal?.tenant === 'string' ? principal.tenant : undefined;
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: Readonly<OverloadSettings>,
  refused: Record<OverloadLimit, number>,
  limit: OverloadLimit,
): FastifyReply {
  refused[limit] += 1;
  const retry = String(settings.retryAfterSeconds);
  const tenant = limit === 'tenant';
  const message = tenant
    ? `This tenant has ${settings.maxInFlightPerTenant} requests in flight, its maximum; retry after ${retry} s`
    : `The gateway is overloaded; retry after ${retry} s`;
  const error = jsonRpcError(JsonRpcCode.Internal, message, tenant ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE', {
    limit,
    retryAfterSeconds: retry,
  });
  const status = tenant ? 429 : 503;
  // The same error in the binding's shape: google.rpc.Status for HTTP+JSON, else a JSON-RPC error.
  const body = isRestCall(request)
    ? httpErrorBody(status, tenant ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE', message, error.data)
    : { jsonrpc: '2.0', id: null, error };
  // The body has not been read (or not parsed), so the request id is unknown: null, as JSON-RPC says.
  // The body is left unread: closing the connection frees it at once (a slow body would hold it).
  return reply
    .code(status)
    .header('retry-after', retry)
    .header('connection', 'close')
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}

interface EventLoopWatch {
  stalled(): boolean;
  delayMs(): number;
}

/**
 * Samples the event loop every `sampleIntervalMs`: the worst stall is the larger of the sampler's
 * own lateness (seen the moment it fires) and the histogram's maximum since the last sample.
 */
function watchEventLoop(app: FastifyInstance, s: Readonly<OverloadSettings>): EventLoopWatch {
  if (s.maxEventLoopDelayMs === 0) return { stalled: () => false, delayMs: () => 0 };
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let delay = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const lateness = Math.max(0, now - last - s.sampleIntervalMs);
    last = now;
    delay = Math.max(lateness, histogram.max / 1e6 - 10);
    histogram.reset();
  }, s.sampleIntervalMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    histogram.disable();
  });
  return { stalled: () => delay > s.maxEventLoopDelayMs, delayMs: () => Math.round(delay) };
}

function checkSettings(s: Readonly<OverloadSettings>): void {
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  const nonNegative = (n: number) => Number.isInteger(n) && n >= 0;
  const problems = [
    positive(s.maxInFlight) ? '' : 'maxInFlight must be a positive integer',
    nonNegative(s.maxInFlightPerTenant) ? '' : 'maxInFlightPerTenant must be a non-negative integer',
    s.maxInFlightPerTenant < s.maxInFlight
      ? ''
      : 'maxInFlightPerTenant must be below maxInFlight, so that one tenant cannot take every slot',
    nonNegative(s.maxEventLoopDelayMs) ? '' : 'maxEventLoopDelayMs must be a non-negative integer',
    positive(s.sampleIntervalMs) ? '' : 'sampleIntervalMs must be a positive integer',
    positive(s.retryAfterSeconds) ? '' : 'retryAfterSeconds must be a positive integer',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`overload guard: ${problems.join('; ')}`);
}
