/**
 * The JSON-RPC endpoint of each agent: POST /agents/{id}, and POST / for the default agent.
 * Order of checks: auth (401, before the body is read) -> agent and agent scope (404/403) ->
 * Content-Type (-32005) -> envelope (-32700/-32600) -> A2A-Version (-32009) -> method (-32601)
 * -> method scope (403) -> params (-32602) -> use case.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../core/context';
import { InvalidParamsError, VersionNotSupportedError } from '../../core/errors';
import { mayUseAgent } from '../../core/scopes';
import type { GatewayDeps } from '../app';
import { type JsonRpcId, parseEnvelope } from '../json-rpc/envelope';
import { JsonRpcCode, type JsonRpcErrorObject, jsonRpcError, toJsonRpcError } from '../json-rpc/error-codes';
import { METHODS } from '../json-rpc/method-table';
import { traceparentFor } from './request-context';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SUPPORTED_VERSIONS = ['1.0'] as const;

const JSON_TYPES = new Set(['application/json', 'application/a2a+json']);

export function registerA2AEndpoint(app: FastifyInstance, deps: GatewayDeps): void {
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
      const challenge = outcome.tokenPresented
        ? 'Bearer realm="a2a", error="invalid_token"'
        : 'Bearer realm="a2a"';
      return reply
        .code(401)
        .header('www-authenticate', challenge)
        .send({
          error: { code: 401, status: 'UNAUTHENTICATED', message: 'A valid bearer token is required' },
        });
    });
    scope.setErrorHandler((err: { statusCode?: number; code?: string }, request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const msg = `The request body exceeds the limit of ${deps.bodyLimitBytes} bytes`;
        return rpcError(reply, 413, null, jsonRpcError(JsonRpcCode.InvalidRequest, msg, 'REQUEST_TOO_LARGE'));
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) request.log.error({ err }, 'unhandled error');
      const e =
        status === 500
          ? jsonRpcError(JsonRpcCode.Internal, 'Internal error', 'INTERNAL')
          : jsonRpcError(JsonRpcCode.InvalidRequest, 'The request could not be read', 'INVALID_REQUEST');
      return rpcError(reply, status, null, e);
    });

    const handler = (fixedAgent?: string) => async (request: FastifyRequest, reply: FastifyReply) => {
      const agentId = fixedAgent ?? (request.params as { agentId: string }).agentId;
      return handleCall(deps, request, reply, agentId);
    };
    scope.post('/', handler(deps.useCases.agents.defaultId));
    scope.post('/agents/:agentId', handler());
  });
}

async function handleCall(deps: GatewayDeps, request: FastifyRequest, reply: FastifyReply, agentId: string) {
  const principal = request.principal as Principal;
  if (!deps.useCases.agents.get(agentId)) {
    return reply.code(404).send({ error: { code: 404, status: 'NOT_FOUND', message: 'Unknown agent' } });
  }
  if (!mayUseAgent(principal.scopes, agentId)) return forbidden(reply, `agent:${agentId}`);

  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.has(contentType)) {
    const msg = `Content-Type must be application/json (got ${contentType === '' ? 'none' : JSON.stringify(contentType.slice(0, 100))})`;
    return rpcError(
      reply,
      400,
      null,
      jsonRpcError(JsonRpcCode.ContentTypeNotSupported, msg, 'CONTENT_TYPE_NOT_SUPPORTED'),
    );
  }
  const envelope = parseEnvelope(typeof request.body === 'string' ? request.body : '');
  if (!envelope.ok) return rpcError(reply, envelope.httpStatus, envelope.id, envelope.error);
  const { id, method: name, params } = envelope.request;

  const log = request.log.child({ method: name, tenant: principal.tenant });
  try {
    const version = requestedVersion(request);
    if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version)) {
      throw new VersionNotSupportedError(version, SUPPORTED_VERSIONS);
    }
    const def = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
    if (!def) {
      const msg = `Method not found: ${name.slice(0, 100)}`;
      return rpcError(reply, 200, id, jsonRpcError(JsonRpcCode.MethodNotFound, msg, 'METHOD_NOT_FOUND'));
    }
    if (def.scope && !principal.scopes.includes(def.scope)) return forbidden(reply, def.scope);
    const parsed = def.parse(params);
    assertTenant(parsed, principal);
    const ctx: RequestContext = {
      principal,
      requestId: String(request.id),
      traceparent: traceparentFor(request.headers.traceparent),
    };
    const result = await def.run({ deps: deps.useCases, ctx, agent: { agentId }, protocol: '1.0' }, parsed);
    return reply.code(200).send({ jsonrpc: '2.0', id, result });
  } catch (err) {
    const { error, internal } = toJsonRpcError(err);
    if (internal) log.error({ err }, 'method failed');
    else log.debug({ code: error.code }, 'method error');
    return rpcError(reply, 200, id, error);
  }
}

function requestedVersion(request: FastifyRequest): string {
  const header = request.headers['a2a-version'];
  const query = (request.query as Record<string, unknown> | undefined)?.['A2A-Version'];
  const raw = (typeof header === 'string' ? header : typeof query === 'string' ? query : '').trim();
  if (raw === '') return '0.3';
  // Major.Minor only; a patch number is tolerated and ignored.
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(raw);
  return m ? `${m[1]}.${m[2]}` : raw.slice(0, 20);
}

function assertTenant(params: unknown, principal: Principal): void {
  const tenant = (params as { tenant?: string }).tenant;
  if (tenant !== undefined && tenant !== '' && tenant !== principal.tenant) {
    throw new InvalidParamsError('params.tenant does not match the authenticated tenant', [
      { field: 'tenant', description: 'must be empty or equal to the tenant of the token' },
    ]);
  }
}

function lambdaAuthorizerContext(request: FastifyRequest): Record<string, unknown> | undefined {
  const event = (request as { awsLambda?: { event?: unknown } }).awsLambda?.event as
    | { requestContext?: { authorizer?: { lambda?: Record<string, unknown> } } }
    | undefined;
  return event?.requestContext?.authorizer?.lambda;
}

function forbidden(reply: FastifyReply, scope: string) {
  return reply
    .code(403)
    .header('www-authenticate', `Bearer realm="a2a", error="insufficient_scope", scope="${scope}"`)
    .send({
      error: { code: 403, status: 'PERMISSION_DENIED', message: `The token lacks the scope ${scope}` },
    });
}

function rpcError(reply: FastifyReply, status: number, id: JsonRpcId, error: JsonRpcErrorObject) {
  return reply.code(status).send({ jsonrpc: '2.0', id, error });
}
