/**
 * The gateway as a fastify app factory. The Lambda entry and the local server both call
 * buildApp; tests use app.inject().
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { concurrencyGate } from '../core/use-cases/concurrency-gate';
import type { GatewayDeps } from './gateway-deps';
import { unknownPathOutcome } from './http-errors';
import { registerOverloadGuard } from './overload';
import { requestTimeoutOptions } from './request-timeouts';
import { pathOf } from './rest/request-match';
import { registerA2AEndpoint } from './routes/a2a-endpoint';
import { registerAgentCatalogRoute } from './routes/agent-catalog-route';
import { sendJson } from './routes/bearer-auth';
import { registerCardRoutes } from './routes/card-routes';
import { registerDebugRoute } from './routes/debug-route';
import { registerJwksRoute } from './routes/jwks-route';
import { newRequestId } from './routes/request-context';

/**
 * No route has a fastify schema: the method table validates each request with TypeBox
 * (json-rpc/method-table.ts) and answers are written by sendJson. Giving fastify compilers of
 * our own keeps it from loading its default ones, ajv and fast-json-stringify, at the app's
 * construction: about a fifth of the gateway's import + wiring time at a cold start (README
 * decision 81). A route given a schema fails when the app gets ready, not at its first request.
 */
function noRouteSchemas(): never {
  throw new Error('gateway routes take no fastify schema: validate with the method table (TypeBox)');
}

export async function buildApp(given: GatewayDeps): Promise<FastifyInstance> {
  // One gate per process: each large page takes its turn (Lambda serves one request at a time).
  const listGate = given.useCases.listGate ?? concurrencyGate(given.maxConcurrentLists ?? 4);
  const deps: GatewayDeps = { ...given, useCases: { ...given.useCases, listGate } };
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: newRequestId,
    requestIdHeader: 'x-request-id',
    // Lambda and API Gateway sit in front; locally we listen on loopback.
    trustProxy: false,
    return503OnClosing: true,
    // Clients built on base URLs (httpx, many Python clients) POST to `/agents/x/`: every route
    // answers the same with and without a trailing slash.
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: {
      compilersFactory: { buildValidator: noRouteSchemas, buildSerializer: noRouteSchemas },
    },
    ...requestTimeoutOptions(deps.requestTimeouts),
  });
  registerOverloadGuard(app, deps.overload);

  app.get('/health', async () => ({ status: 'ok' }));
  registerCardRoutes(app, deps);
  registerAgentCatalogRoute(app, deps);
  if (deps.pushKeys) registerJwksRoute(app, deps.pushKeys);
  if (deps.debugRoutes) registerDebugRoute(app, deps);
  registerA2AEndpoint(app, deps);
  app.setNotFoundHandler((request, reply) =>
    sendJson(reply, unknownPathOutcome(request.method, pathOf(request.url))),
  );
  return app;
}
