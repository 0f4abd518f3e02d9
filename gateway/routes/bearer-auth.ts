/**
 * The token check of every authenticated route (both A2A bindings, GET /agents, the debug
 * routes): the principal resolver (in Lambda, the authorizer context API Gateway injected), and
 * the same answers: no valid token 401, a required scope missing 403, each with its JSON body and
 * RFC 6750 `WWW-Authenticate` header (http-errors' `unauthenticated` and `forbidden`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/context';
import { Metric } from '../../core/ports/metrics';
import type { JsonOutcome } from '../dispatch/outcome';
import type { GatewayDeps } from '../gateway-deps';
import { forbidden, unauthenticated } from '../http-errors';

/** requestContext.authorizer.lambda of the API Gateway event, when the app runs in Lambda. */
export function lambdaAuthorizerContext(request: FastifyRequest): Record<string, unknown> | undefined {
  const event = (request as { awsLambda?: { event?: unknown } }).awsLambda?.event as
    | { requestContext?: { authorizer?: { lambda?: Record<string, unknown> } } }
    | undefined;
  return event?.requestContext?.authorizer?.lambda;
}

/** The caller, or the 401 to answer (counted as an auth denial). */
export async function authenticate(
  deps: GatewayDeps,
  request: FastifyRequest,
): Promise<{ ok: true; principal: Principal } | { ok: false; outcome: JsonOutcome }> {
  const auth = await deps.principals.resolve({
    authorization: request.headers.authorization,
    authorizerContext: lambdaAuthorizerContext(request),
  });
  if (auth.ok) return auth;
  deps.metrics?.count(Metric.AuthDenials, {
    reason: auth.tokenPresented ? 'invalid_token' : 'missing_token',
  });
  return { ok: false, outcome: unauthenticated(auth.tokenPresented) };
}

export async function bearerPrincipal(
  deps: GatewayDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  requiredScope?: string,
): Promise<Principal | undefined> {
  const auth = await authenticate(deps, request);
  if (!auth.ok) {
    await sendJson(reply, auth.outcome);
    return undefined;
  }
  if (requiredScope !== undefined && !auth.principal.scopes.includes(requiredScope)) {
    await sendJson(reply, forbidden(requiredScope));
    return undefined;
  }
  return auth.principal;
}

/** One JSON outcome as the reply (no body for 204). */
export const sendJson = (reply: FastifyReply, outcome: JsonOutcome) => {
  reply.code(outcome.status).headers(outcome.headers);
  return outcome.body === undefined ? reply.send() : reply.send(outcome.body);
};
