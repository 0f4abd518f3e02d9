/**
 * The token check of the plain-HTTP routes (GET /agents, the debug routes): the same principal
 * resolver as the JSON-RPC endpoint (in Lambda, the authorizer context API Gateway injected), and
 * the same answers: no valid token 401, a required scope missing 403, each with its JSON body and
 * RFC 6750 `WWW-Authenticate` header (rpc-handler's `unauthenticated` and `forbidden`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/context';
import type { GatewayDeps } from '../gateway-deps';
import { forbidden, type JsonOutcome, unauthenticated } from '../rpc/rpc-handler';

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
    await send(reply, unauthenticated(auth.tokenPresented));
    return undefined;
  }
  if (requiredScope !== undefined && !auth.principal.scopes.includes(requiredScope)) {
    await send(reply, forbidden(requiredScope));
    return undefined;
  }
  return auth.principal;
}

const send = (reply: FastifyReply, outcome: JsonOutcome) =>
  reply.code(outcome.status).headers(outcome.headers).send(outcome.body);
