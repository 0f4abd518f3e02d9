/**
 * The token check of the plain-HTTP routes (GET /agents, the debug routes): the same principal
 * resolver as the JSON-RPC endpoint (in Lambda, the authorizer context API Gateway injected). No valid token: 401; a required scope missing: 403. Both
 * answer a JSON body and the RFC 6750 `WWW-Authenticate` header, and return undefined.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/context';
import type { GatewayDeps } from '../gateway-deps';

/** requestContext.authorizer.lambda of the API Gateway event, when the app runs in Lambda. */
export function lambdaAuthorizerContext(request: FastifyRequest): Record<string, unknown> | undefined {
  const event = (request as { awsLambda?: { event?: unknown } }).awsLambda?.event as
    | { requestContext?: { authorizer?: { lambda?: Record<string, unknown> } } }
    | undefined;
  return event?.requestContext?.authorizer?.lambda;
}

export async function bearerPrincipal(
  deps: GatewayDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  requiredScope?: string,
): Promise<Principal | undefined> {
  const auth = await deps.principals.resolve({
    authorization: request.headers.authorization,
    authorizerContext: lambdaAuthorizerContext(request),
  });
  if (!auth.ok) {
    await reply.code(401).header('www-authenticate', 'Bearer realm="a2a"').send({ error: 'unauthenticated' });
    return undefined;
  }
  if (requiredScope !== undefined && !auth.principal.scopes.includes(requiredScope)) {
    await reply
      .code(403)
      .header('www-authenticate', `Bearer realm="a2a", error="insufficient_scope", scope="${requiredScope}"`)
      .send({ error: 'forbidden', message: `The token lacks the scope ${requiredScope}` });
    return undefined;
  }
  return auth.principal;
}
