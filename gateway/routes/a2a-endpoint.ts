/**
 * The A2A endpoints of each agent on fastify. JSON-RPC: POST /agents/{id}, and POST / for the
 * default agent; auth runs first (401, before the body is read). HTTP+JSON: the binding's paths
 * under the same bases (rest-routes.ts); the path is matched first (an unknown path is a 404
 * without auth), then the token is checked. Both bindings share one dispatcher (one stream
 * limiter); stream outcomes take over the raw response as SSE.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/context';
import { createDispatcher } from '../dispatch/dispatcher';
import type { JsonOutcome, Outcome } from '../dispatch/outcome';
import type { GatewayDeps } from '../gateway-deps';
import { httpErrorBody, readFailure, unknownPathOutcome } from '../http-errors';
import { JsonRpcCode, jsonRpcError } from '../json-rpc/error-codes';
import { pathOf, restMatchOf } from '../rest/request-match';
import { methodNotAllowed, restBodyTooLarge } from '../rest/rest-errors';
import { answerType, createRestHandler } from '../rest/rest-handler';
import { createRpcHandler, rpcBodyTooLarge } from '../rpc/rpc-handler';
import { nodeSseSink } from '../streaming/node-sse-sink';
import { authenticate, sendJson } from './bearer-auth';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function registerA2AEndpoint(app: FastifyInstance, deps: GatewayDeps): void {
  const dispatcher = createDispatcher(deps);
  const rpc = createRpcHandler(deps, dispatcher);
  const rest = createRestHandler(deps, dispatcher);
  // Open SSE streams would otherwise hold app.close() until their tasks end.
  app.addHook('preClose', async () => dispatcher.shutdown());
  app.decorateRequest('principal', null);

  const send = async (request: FastifyRequest, reply: FastifyReply, outcome: Outcome) => {
    if (outcome.kind === 'json') return sendJson(reply, outcome);
    reply.hijack();
    await outcome.session.pipe(nodeSseSink(reply.raw, { 'x-request-id': String(request.id) }));
  };
  /** Bodies fastify could not read, in each binding's shape; anything else is a logged 500. */
  const readErrors =
    (tooLarge: JsonOutcome, body: (status: number) => unknown) =>
    (err: { statusCode?: number; code?: string }, request: FastifyRequest, reply: FastifyReply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendJson(reply, tooLarge);
      const { status, internal } = readFailure(err.statusCode);
      if (internal) request.log.error({ err }, 'unhandled error');
      return reply.code(status).send(body(status));
    };

  app.register(async (scope) => {
    readBodiesAsText(scope);
    scope.addHook('onRequest', async (request, reply) => {
      const auth = await authenticate(deps, request);
      if (auth.ok) request.principal = auth.principal;
      else return sendJson(reply, auth.outcome);
    });
    scope.setErrorHandler(
      readErrors(rpcBodyTooLarge(deps.bodyLimitBytes), (status) => ({
        jsonrpc: '2.0',
        id: null,
        error:
          status === 500
            ? jsonRpcError(JsonRpcCode.Internal, 'Internal error', 'INTERNAL')
            : jsonRpcError(JsonRpcCode.InvalidRequest, 'The request could not be read', 'INVALID_REQUEST'),
      })),
    );

    const handler = (fixedAgent?: string) => async (request: FastifyRequest, reply: FastifyReply) => {
      const outcome = await rpc.handle({
        agentId: fixedAgent ?? (request.params as { agentId: string }).agentId,
        principal: request.principal as Principal,
        headers: request.headers,
        query: request.query as Record<string, unknown>,
        body: typeof request.body === 'string' ? request.body : '',
        requestId: String(request.id),
        log: request.log,
      });
      return send(request, reply, outcome);
    };
    scope.post('/', handler(deps.useCases.agents.defaultId));
    scope.post('/agents/:agentId', handler());
  });

  app.register(async (scope) => {
    readBodiesAsText(scope);
    // A known path is authenticated before its body is read (so the overload guard counts the
    // request against its tenant); an unknown one is left to the handler's 404, without auth.
    scope.addHook('onRequest', async (request, reply) => {
      if (restMatchOf(request)?.ok !== true) return;
      const auth = await authenticate(deps, request);
      if (auth.ok) request.principal = auth.principal;
      else return sendJson(reply, auth.outcome);
    });
    scope.setErrorHandler(
      readErrors(restBodyTooLarge(deps.bodyLimitBytes), (status) =>
        status === 500
          ? httpErrorBody(500, 'INTERNAL', 'Internal error')
          : httpErrorBody(status, 'INVALID_ARGUMENT', 'The request could not be read'),
      ),
    );
    // Everything no other route takes: the binding's own table decides (rest-routes.ts).
    scope.route({
      method: ['GET', 'POST', 'DELETE'],
      url: '/*',
      handler: async (request, reply) => {
        const path = pathOf(request.url);
        const match = restMatchOf(request);
        if (!match) return sendJson(reply, unknownPathOutcome(request.method, path));
        if (!match.ok) {
          return sendJson(
            reply,
            methodNotAllowed(request.method, path, match.allow, answerType(request.headers)),
          );
        }
        const outcome = await rest.handle({
          route: match.route,
          httpMethod: request.method,
          principal: request.principal as Principal,
          headers: request.headers,
          query: new URLSearchParams(request.url.slice(path.length + 1)),
          body: typeof request.body === 'string' ? request.body : '',
          requestId: String(request.id),
          log: request.log,
        });
        return send(request, reply, outcome);
      },
    });
  });
}

/** Bodies reach the bindings as text, whatever their Content-Type (each binding checks it). */
function readBodiesAsText(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
}
