/**
 * The gateway behind a Lambda function URL with response streaming (InvokeMode RESPONSE_STREAM).
 * It serves both A2A bindings: JSON-RPC (POST / and POST /agents/{id}, both protocol versions)
 * and HTTP+JSON (rest-routes.ts, under the same bases): unary methods as one JSON response,
 * streaming methods as SSE written to the response stream as events are read from the store. Function URLs have no Lambda authorizer, so the bearer JWT
 * is verified here with the same verifier the authorizer uses.
 */
import type { Logger } from '../../core/ports/logger';
import { createDispatcher, type Dispatcher } from '../dispatch/dispatcher';
import type { JsonOutcome, Outcome } from '../dispatch/outcome';
import type { GatewayDeps } from '../gateway-deps';
import { httpErrorBody, unauthenticated, unknownPathBody } from '../http-errors';
import { methodNotAllowed, restBodyTooLarge } from '../rest/rest-errors';
import { answerType, createRestHandler } from '../rest/rest-handler';
import { matchRestRoute } from '../rest/rest-routes';
import { createRpcHandler, rpcBodyTooLarge } from '../rpc/rpc-handler';
import { HEARTBEAT, SSE_HEADERS, type SseSink } from '../streaming/sse-session';
import type {
  FunctionUrlEvent,
  HttpResponseStreamApi,
  ResponseStream,
  StreamingHandler,
} from './lambda-stream-types';

const AGENT_PATH = /^\/agents\/([^/]+)\/?$/;

export interface StreamingLambda {
  handler: StreamingHandler;
  /** both bindings' dispatcher (its stream limiter) */
  dispatcher: Dispatcher;
}

export function createStreamingHandler(deps: GatewayDeps, http: HttpResponseStreamApi): StreamingLambda {
  const dispatcher = createDispatcher(deps);
  const rpc = createRpcHandler(deps, dispatcher);
  const rest = createRestHandler(deps, dispatcher);
  const log = deps.logger as Logger;

  const handler: StreamingHandler = async (event, responseStream, context) => {
    const requestId = context.awsRequestId ?? event.requestContext?.requestId ?? crypto.randomUUID();
    const reqLog = log.child({ requestId });
    try {
      const outcome = await route(event, requestId, reqLog);
      if (outcome.kind === 'json') return sendJson(http, responseStream, outcome);
      const body = http.from(responseStream, {
        statusCode: 200,
        headers: { ...SSE_HEADERS, 'x-request-id': requestId },
      });
      // The runtime sends the prelude with the first write: commit the 200 now, not at the first event.
      body.write(HEARTBEAT);
      await outcome.session.pipe(responseStreamSink(body));
    } catch (err) {
      reqLog.error({ err }, 'streaming handler failed');
      sendJson(http, responseStream, {
        kind: 'json',
        status: 500,
        headers: {},
        body: httpErrorBody(500, 'INTERNAL', 'Internal error'),
      });
    }
  };

  async function route(event: FunctionUrlEvent, requestId: string, reqLog: Logger): Promise<Outcome> {
    const method = (event.requestContext?.http?.method ?? 'POST').toUpperCase();
    const path = event.rawPath ?? '/';
    const headers = lowercase(event.headers ?? {});
    const rpcAgent =
      method !== 'POST' ? undefined : path === '/' ? deps.useCases.agents.defaultId : decodeAgent(path);
    const match = rpcAgent === undefined ? matchRestRoute(method, path) : undefined;
    if (rpcAgent === undefined && !match) return notFound(method, path);
    if (match && !match.ok) return methodNotAllowed(method, path, match.allow, answerType(headers));
    const body = event.body === undefined ? '' : event.isBase64Encoded ? fromBase64(event.body) : event.body;
    if (Buffer.byteLength(body) > deps.bodyLimitBytes) {
      return rpcAgent === undefined
        ? restBodyTooLarge(deps.bodyLimitBytes)
        : rpcBodyTooLarge(deps.bodyLimitBytes);
    }
    const auth = await deps.principals.resolve({
      authorization: headers.authorization,
      authorizerContext: undefined,
    });
    if (!auth.ok) return unauthenticated(auth.tokenPresented);
    const common = { principal: auth.principal, headers, body, requestId, log: reqLog };
    if (match?.ok) {
      const query = new URLSearchParams(event.rawQueryString ?? '');
      return rest.handle({ ...common, route: match.route, httpMethod: method, query });
    }
    return rpc.handle({ ...common, agentId: rpcAgent as string, query: event.queryStringParameters ?? {} });
  }

  return { handler, dispatcher };
}

function sendJson(http: HttpResponseStreamApi, stream: ResponseStream, outcome: JsonOutcome): void {
  const body = http.from(stream, {
    statusCode: outcome.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...outcome.headers },
  });
  if (outcome.body !== undefined) body.write(JSON.stringify(outcome.body));
  body.end();
}

/** An SseSink over the Lambda response stream. */
export function responseStreamSink(stream: ResponseStream): SseSink {
  const gone = new AbortController();
  const leave = () => gone.abort();
  stream.on('close', leave);
  stream.on('error', leave);
  if (stream.destroyed) leave();
  return {
    gone: gone.signal,
    write(chunk) {
      if (stream.destroyed || stream.writableEnded || gone.signal.aborted) return Promise.resolve();
      if (stream.write(chunk)) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('close', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
      });
    },
    end() {
      stream.off('close', leave);
      stream.off('error', leave);
      if (!stream.writableEnded) stream.end();
    },
  };
}

function decodeAgent(path: string): string | undefined {
  const m = AGENT_PATH.exec(path);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

const fromBase64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

function lowercase(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

const notFound = (method: string, path: string): JsonOutcome => ({
  kind: 'json',
  status: 404,
  headers: {},
  body: unknownPathBody(method, path),
});
