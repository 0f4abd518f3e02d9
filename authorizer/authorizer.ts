/**
 * API Gateway HTTP API REQUEST authorizer (payload format 2.0, simple responses). Verifies the
 * bearer token and returns the principal as authorizer context. A refusal carries no reason;
 * the reason class goes to the log, the token never does.
 */

import type { Logger } from 'pino';
import type { Clock } from '../core/ports/clock';
import { Metric, type Metrics } from '../core/ports/metrics';
import type { AuthorizerConfig } from './config';
import { bearerToken, createTokenVerifier, TokenRejectedError, type TokenVerifier } from './token-verifier';

/** The parts of the HTTP API v2 authorizer event this authorizer reads (no @types/aws-lambda). */
export interface HttpApiAuthorizerEvent {
  version: '2.0';
  type: 'REQUEST';
  routeArn: string;
  routeKey?: string;
  identitySource?: string[] | null;
  headers?: Record<string, string | undefined>;
  requestContext?: {
    requestId?: string;
    routeKey?: string;
    http?: { method?: string; path?: string; sourceIp?: string };
  };
}

export interface AuthorizerContext {
  tenant: string;
  subject: string;
  /** Space-separated, like an OAuth `scope` claim. */
  scopes: string;
}

export type HttpApiSimpleAuthorizerResult =
  | { isAuthorized: true; context: AuthorizerContext }
  | { isAuthorized: false };

export type Authorizer = (event: HttpApiAuthorizerEvent) => Promise<HttpApiSimpleAuthorizerResult>;

export interface AuthorizerDeps {
  logger: Logger;
  /** Defaults to a verifier built from the config (remote JWKS). */
  verifier?: TokenVerifier;
  clock?: Clock;
  /** denials by reason class */
  metrics?: Metrics;
}

const DENY: HttpApiSimpleAuthorizerResult = Object.freeze({ isAuthorized: false });

export function createAuthorizer(config: AuthorizerConfig, deps: AuthorizerDeps): Authorizer {
  const verifier =
    deps.verifier ??
    createTokenVerifier(
      {
        issuer: config.issuer,
        audience: config.audience,
        jwksUrl: config.jwksUrl,
        algorithms: config.algorithms,
        tenantClaim: config.tenantClaim,
        clockToleranceSeconds: config.clockToleranceSeconds,
        jwksTimeoutMs: config.jwksTimeoutMs,
        maxTokenLifetimeSeconds: config.maxTokenLifetimeSeconds,
      },
      deps.clock,
    );

  return async (event) => {
    const log = deps.logger.child({
      requestId: event?.requestContext?.requestId,
      routeKey: event?.routeKey ?? event?.requestContext?.routeKey,
    });
    try {
      const principal = await verifier.verify(tokenOf(event));
      log.debug({ tenant: principal.tenant }, 'token accepted');
      return {
        isAuthorized: true,
        context: { tenant: principal.tenant, subject: principal.subject, scopes: principal.scopes.join(' ') },
      };
    } catch (err) {
      deps.metrics?.count(Metric.AuthDenials, {
        reason: err instanceof TokenRejectedError ? err.reasonClass : 'error',
      });
      if (!(err instanceof TokenRejectedError)) {
        log.error({ err }, 'token verification failed unexpectedly');
      } else if (err.reasonClass === 'jwks_unavailable') {
        log.error({ reason: err.reasonClass, err: err.cause }, 'token rejected: JWKS unavailable');
      } else {
        log.info({ reason: err.reasonClass, detail: err.message }, 'token rejected');
      }
      return DENY;
    }
  };
}

/** The bearer token from the Authorization header or the first identity source. */
function tokenOf(event: HttpApiAuthorizerEvent | undefined): string {
  const header = authorizationHeader(event?.headers) ?? event?.identitySource?.[0];
  if (header === undefined || header === '')
    throw new TokenRejectedError('missing', 'no Authorization header');
  const token = bearerToken(header);
  if (token === undefined) throw new TokenRejectedError('malformed', 'Authorization is not a Bearer token');
  return token;
}

function authorizationHeader(headers: HttpApiAuthorizerEvent['headers']): string | undefined {
  if (!headers) return undefined;
  // HTTP API lower-cases header names; tolerate other casings from hand-built events.
  if (typeof headers.authorization === 'string') return headers.authorization;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  return key === undefined ? undefined : headers[key];
}
