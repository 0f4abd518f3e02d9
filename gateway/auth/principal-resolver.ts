/**
 * Where the caller's principal comes from. Locally (and when re-verification is on) the gateway
 * verifies the bearer JWT itself with the same verifier the Lambda authorizer uses; behind API
 * Gateway it trusts only the authorizer context that API Gateway injected into the event.
 */
import { bearerToken, type TokenVerifier } from '../../authorizer/token-verifier';
import type { Principal } from '../../core/context';

export interface RequestAuthInput {
  authorization: string | undefined;
  /** requestContext.authorizer.lambda of the API Gateway event, when running in Lambda */
  authorizerContext: Record<string, unknown> | undefined;
}

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; tokenPresented: boolean };

export interface PrincipalResolver {
  resolve(input: RequestAuthInput): Promise<AuthOutcome>;
}

export function verifyingResolver(verifier: TokenVerifier): PrincipalResolver {
  return {
    async resolve({ authorization }) {
      const token = bearerToken(authorization);
      if (!token) return { ok: false, tokenPresented: authorization !== undefined };
      try {
        return { ok: true, principal: await verifier.verify(token) };
      } catch {
        return { ok: false, tokenPresented: true };
      }
    },
  };
}

/** Reads the principal that the Lambda authorizer put into the API Gateway event. */
export function principalFromAuthorizerContext(
  ctx: Record<string, unknown> | undefined,
): Principal | undefined {
  if (!ctx) return undefined;
  const { tenant, subject, scopes } = ctx;
  if (typeof tenant !== 'string' || tenant === '' || typeof subject !== 'string' || subject === '')
    return undefined;
  const list = typeof scopes === 'string' ? scopes.split(' ').filter(Boolean) : [];
  return { tenant, subject, scopes: list };
}

/**
 * Behind API Gateway: trust the authorizer context; with `reverify`, also verify the JWT and
 * require that both name the same principal (defence in depth).
 */
export function authorizerContextResolver(reverify?: TokenVerifier): PrincipalResolver {
  const verifying = reverify ? verifyingResolver(reverify) : undefined;
  return {
    async resolve(input) {
      const fromContext = principalFromAuthorizerContext(input.authorizerContext);
      if (!fromContext) return { ok: false, tokenPresented: input.authorization !== undefined };
      if (!verifying) return { ok: true, principal: fromContext };
      const verified = await verifying.resolve(input);
      if (!verified.ok) return verified;
      const same =
        verified.principal.tenant === fromContext.tenant &&
        verified.principal.subject === fromContext.subject;
      return same ? verified : { ok: false, tokenPresented: true };
    },
  };
}
