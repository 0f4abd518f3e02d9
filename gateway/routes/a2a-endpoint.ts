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
import type { Outcome } from '../dispatch/outcome';
import type { GatewayDeps } from '../gateway-deps';
import { httpErrorBody, unknownPathBody } from '../http-errors';
import { JsonRpcCode, jsonRpcError } from '../json-rpc/error-codes';
import { restError } from '../rest/rest-errors';
import { answerType, createRestHandler } from '../rest/rest-handler';
import { matchRestRoute } from '../rest/rest-routes';
import { createRpcHandler } from '../rpc/rpc-handler';
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
  const tooLarge = `The request body exceeds the limit of ${deps.bodyLimitBytes} bytes`;

  app.register(async (scope) => {
    readBodiesAsText(scope);
    scope.addHook('onRequest', async (request, reply) => {
      const auth = await authenticate(deps, request);
      if (auth.ok) request.principal = auth.principal;
      else return sendJson(reply, auth.outcome);
    });
    scope.setErrorHandler((err: { statusCode?: number; code?: string }, request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const error = jsonRpcError(JsonRpcCode.InvalidRequest, tooLarge, 'REQUEST_TOO_LARGE');
        return reply.code(413).send({ jsonrpc: '2.0', id: null, error });
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) request.log.error({ err }, 'unhandled error');
      const error =
        status === 500
          ? jsonRpcError(JsonRpcCode.Internal, 'Internal error', 'INTERNAL')
          : jsonRpcError(JsonRpcCode.InvalidRequest, 'The request could not be read', 'INVALID_REQUEST');
      return reply.code(status).send({ jsonrpc: '2.0', id: null, error });
    });

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
      if (matchRestRoute(request.method, pathOf(request))?.ok !== true) return;
      const auth = await authenticate(deps, request);
      if (auth.ok) request.principal = auth.principal;
      else return sendJson(reply, auth.outcome);
    });
    scope.setErrorHandler((err: { statusCode?: number; code?: string }, request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendJson(reply, restError(413, 'INVALID_ARGUMENT', tooLarge, 'REQUEST_TOO_LARGE'));
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) request.log.error({ err }, 'unhandled error');
      const body =
        status === 500
          ? httpErrorBody(500, 'INTERNAL', 'Internal error')
          : httpErrorBody(status, 'INVALID_ARGUMENT', 'The request could not be read');
      return reply.code(status).send(body);
    });
    // Everything no other route takes: the binding's own table decides (rest-routes.ts).
    scope.route({
      method: ['GET', 'POST', 'DELETE'],
      url: '/*',
      handler: async (request, reply) => {
        const path = pathOf(request);
        const match = matchRestRoute(request.method, path);
        if (!match) {
          const body = unknownPathBody(request.method, path);
          // A JSON-RPC client posting to a wrong path still reads a well-formed error response.
          return reply
            .code(404)
            .send(request.method === 'POST' ? { jsonrpc: '2.0', id: null, ...body } : body);
        }
        if (!match.ok) {
          const msg = `${request.method} is not served on ${path.slice(0, 200)}; use ${match.allow.join(' or ')}`;
          const outcome = restError(405, 'UNIMPLEMENTED', msg, 'METHOD_NOT_ALLOWED');
          const headers = { allow: match.allow.join(', '), 'content-type': answerType(request.headers) };
          return sendJson(reply, { ...outcome, headers });
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

const pathOf = (request: FastifyRequest): string => request.url.split('?', 1)[0] ?? '/';

/** Bodies reach the bindings as text, whatever their Content-Type (each binding checks it). */
function readBodiesAsText(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
}
