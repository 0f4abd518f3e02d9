/**
 * The HTTP+JSON binding (A2A 1.0.1 §11) without its transport: the fastify route and the Lambda
 * streaming handler both call it, after matching the path (rest-routes.ts) and authenticating.
 * Order of checks: agent and agent scope (404/403) -> Content-Type of a body (415) ->
 * A2A-Version (400) -> the dispatcher's checks (scope 403, streaming, params and tenant 400) ->
 * use case. Answers are bare JSON (`application/a2a+json` when the client accepts it, else
 * `application/json`); SSE events carry the bare StreamResponse; errors are google.rpc.Status.
 */
import type { Principal } from '../../core/context';
import { VersionNotSupportedError } from '../../core/errors';
import type { Logger } from '../../core/ports/logger';
import { Metric, silentMetrics } from '../../core/ports/metrics';
import { admitAgent, contentTypeMessage, isJsonMediaType, mediaTypeOf } from '../dispatch/admission';
import { callBase, type Dispatcher } from '../dispatch/dispatcher';
import { type JsonOutcome, jsonOutcome, type Outcome } from '../dispatch/outcome';
import type { GatewayDeps } from '../gateway-deps';
import { JsonRpcCode } from '../json-rpc/error-codes';
import { METHODS } from '../json-rpc/method-table';
import { type Headers, requestedVersion } from '../rpc/protocol-version';
import type { FrameCodec } from '../streaming/sse-session';
import { restError, toRestError } from './rest-errors';
import { restParams } from './rest-params';
import type { RestRoute } from './rest-routes';

export interface RestInput {
  route: RestRoute;
  httpMethod: string;
  principal: Principal;
  /** lowercase header names */
  headers: Headers;
  query: URLSearchParams;
  body: string;
  requestId: string;
  log: Logger;
}

export interface RestHandler {
  handle(input: RestInput): Promise<Outcome>;
}

/** The paths are A2A 1.0's; a request without A2A-Version on them means 1.0 (0.3 REST used /v1/…). */
const REST_VERSIONS = ['1.0'] as const;

const restFrames: FrameCodec = {
  event: (result) => result,
  error: (err) => {
    const { outcome, internal } = toRestError(err);
    return { body: outcome.body, internal };
  },
};

const A2A_JSON = 'application/a2a+json';

/** application/a2a+json when the client lists it in Accept (1.0.1), else application/json. */
export function answerType(headers: Headers): string {
  const accept = headers.accept;
  const list = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  return list.toLowerCase().includes(A2A_JSON) ? A2A_JSON : 'application/json';
}

const SUCCESS_STATUS: Readonly<Record<string, number>> = {
  CreateTaskPushNotificationConfig: 201,
  DeleteTaskPushNotificationConfig: 204,
};

export function createRestHandler(deps: GatewayDeps, dispatcher: Dispatcher): RestHandler {
  const metrics = deps.metrics ?? silentMetrics;
  /** What operators alarm on, as the JSON-RPC binding counts it: errors by code, scope denials. */
  const counted = (outcome: JsonOutcome, code: number): JsonOutcome => {
    if (outcome.status === 403) metrics.count(Metric.AuthDenials, { reason: 'insufficient_scope' });
    metrics.count(Metric.RpcErrors, { code: String(code) });
    return outcome;
  };

  async function handle(input: RestInput): Promise<Outcome> {
    const { route, principal, headers } = input;
    const agentId = route.agentId ?? deps.useCases.agents.defaultId;
    const refused = admitAgent(deps, agentId, principal);
    if (refused) return counted(refused, refused.status);
    const mediaType = mediaTypeOf(headers);
    if (input.httpMethod === 'POST' && input.body.trim() !== '' && !isJsonMediaType(mediaType)) {
      const outcome = restError(
        415,
        'INVALID_ARGUMENT',
        contentTypeMessage(mediaType),
        'CONTENT_TYPE_NOT_SUPPORTED',
      );
      return counted(withType(outcome, headers), JsonRpcCode.ContentTypeNotSupported);
    }
    const base = callBase(
      { agentId, principal, headers, requestId: input.requestId, log: input.log },
      { method: route.method, binding: 'HTTP+JSON' },
    );
    const { log } = base;
    try {
      const version = restVersion(headers);
      const method = METHODS[route.method];
      if (!method) throw new Error(`no method ${route.method}`);
      const call = { ...base, version, method };
      const params = restParams(route, input.httpMethod, input.query, input.body);
      const done = await dispatcher.run(call, dispatcher.admit(call, params), restFrames);
      if (!('result' in done)) return done;
      const status = SUCCESS_STATUS[route.method] ?? 200;
      if (status === 204) return jsonOutcome(204, undefined);
      return jsonOutcome(status, done.result, { 'content-type': answerType(headers) });
    } catch (err) {
      const { outcome, internal, code } = toRestError(err);
      if (internal) log.error({ err }, 'method failed');
      else log.debug({ code }, 'method error');
      return counted(withType(outcome, headers), code);
    }
  }

  return { handle };
}

function restVersion(headers: Headers): '1.0' {
  const version = requestedVersion(headers, undefined, '1.0');
  if (version !== '1.0') throw new VersionNotSupportedError(version, REST_VERSIONS);
  return version;
}

const withType = (outcome: JsonOutcome, headers: Headers): JsonOutcome => ({
  ...outcome,
  headers: { 'content-type': answerType(headers), ...outcome.headers },
});
