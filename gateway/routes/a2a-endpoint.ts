/**
 * The JSON-RPC endpoint of each agent on fastify: POST /agents/{id}, and POST / for the default
 * agent. Auth runs first (401, before the body is read); everything after it is the
 * transport-neutral RpcHandler. Stream outcomes take over the raw response as SSE.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/context';
import { Metric } from '../../core/ports/metrics';
import type { GatewayDeps } from '../gateway-deps';
import { JsonRpcCode, jsonRpcError } from '../json-rpc/error-codes';
import { createRpcHandler, type JsonOutcome, unauthenticated } from '../rpc/rpc-handler';
import { nodeSseSink } from '../streaming/node-sse-sink';
import { lambdaAuthorizerContext } from './bearer-auth';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function registerA2AEndpoint(app: FastifyInstance, deps: GatewayDeps): void {
  const rpc = createRpcHandler(deps);
  // Open SSE streams would otherwise hold app.close() until their tasks end.
  app.addHook('preClose', async () => rpc.shutdown());
  app.decorateRequest('principal', null);
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.addHook('onRequest', async (request, reply) => {
      const outcome = await deps.principals.resolve({
        authorization: request.headers.authorization,
        authorizerContext: lambdaAuthorizerContext(request),
      });
      if (outcome.ok) {
        request.principal = outcome.principal;
        return;
      }
      deps.metrics?.count(Metric.AuthDenials, {
        reason: outcome.tokenPresented ? 'invalid_token' : 'missing_token',
      });
      return sendJson(reply, unauthenticated(outcome.tokenPresented));
    });
    scope.setErrorHandler((err: { statusCode?: number; code?: string }, request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const msg = `The request body exceeds the limit of ${deps.bodyLimitBytes} bytes`;
        const error = jsonRpcError(JsonRpcCode.InvalidRequest, msg, 'REQUEST_TOO_LARGE');
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
      if (outcome.kind === 'json') return sendJson(reply, outcome);
      reply.hijack();
      await outcome.session.pipe(nodeSseSink(reply.raw, { 'x-request-id': String(request.id) }));
    };
    scope.post('/', handler(deps.useCases.agents.defaultId));
    scope.post('/agents/:agentId', handler());
  });
}

function sendJson(reply: FastifyReply, outcome: JsonOutcome) {
  return reply.code(outcome.status).headers(outcome.headers).send(outcome.body);
}
