/**
 * Bearer-token verification shared by the Lambda authorizer and the gateway: jose against the
 * issuer's JWKS, with iss, aud and the algorithms pinned, exp/nbf checked with a small skew, the
 * token's lifetime bounded (token-lifetime.ts), and the claims turned into a Principal. Verified tokens are cached (bounded LRU, never past `exp`)
 * so the hot path verifies each token once.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { Principal } from '../core/context';
import { type Clock, systemClock } from '../core/ports/clock';
import {
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  maxTokenLifetimeProblem,
  tokenLifetimeProblem,
} from './token-lifetime';

export const TOKEN_REJECTION_REASONS = [
  'missing',
  'malformed',
  'signature',
  'expired',
  'claims',
  'scope',
  'jwks_unavailable',
] as const;
export type TokenRejectionReason = (typeof TOKEN_REJECTION_REASONS)[number];

/** A refused token. `reasonClass` is for logs and metrics only; callers are never told why. */
export class TokenRejectedError extends Error {
  static readonly code = 'ERR_TOKEN_REJECTED';
  readonly code = TokenRejectedError.code;
  readonly reasonClass: TokenRejectionReason;
  constructor(reasonClass: TokenRejectionReason, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenRejectedError';
    this.reasonClass = reasonClass;
  }
}

/** Asymmetric JWS algorithms a config may allow; `none` and HS* are never accepted. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export const DEFAULT_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];
export const DEFAULT_TENANT_CLAIM = 'tenant';
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;

export const DEFAULT_JWKS_TIMEOUT_MS = 3_000;
const DEFAULT_JWKS_COOLDOWN_MS = 30_000;
const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 600_000;
const DEFAULT_CACHE_MAX_ENTRIES = 1_000;
const MAX_TOKEN_LENGTH = 16_384;
const MAX_IDENTIFIER_LENGTH = 256;
const MAX_SCOPES = 256;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const CONTROL_CHARS = /\p{Cc}/u;

export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  /** Remote JWKS (createRemoteJWKSet: bounded timeout, cooldown, cached). Exactly one of jwksUrl/jwks. */
  jwksUrl?: string;
  /** Static JWKS (createLocalJWKSet), e.g. the dev issuer's. */
  jwks?: { keys: JWK[] };
  /** Allowlist, e.g. DEFAULT_ALGORITHMS; only ASYMMETRIC_ALGORITHMS are accepted. */
  algorithms: readonly string[];
  /** Claim naming the tenant, e.g. 'tenant' or 'custom:tenant'. */
  tenantClaim: string;
  /** Allowed clock skew for exp/nbf/iat, e.g. DEFAULT_CLOCK_TOLERANCE_SECONDS. */
  clockToleranceSeconds: number;
  /** Longest accepted `exp - iat`; default DEFAULT_MAX_TOKEN_LIFETIME_SECONDS (24 h). */
  maxTokenLifetimeSeconds?: number;
  jwksTimeoutMs?: number;
  jwksCooldownMs?: number;
  jwksCacheMaxAgeMs?: number;
  /** Size of the verified-token cache; 0 turns it off. */
  cacheMaxEntries?: number;
}

export interface TokenVerifier {
  /** Resolves to the caller's principal or rejects with TokenRejectedError. */
  verify(token: string): Promise<Principal>;
}

/** The token of an `Authorization: Bearer <token>` header; undefined for other schemes or garbage. */
export function bearerToken(authorizationHeader: string | undefined): string | undefined {
  if (typeof authorizationHeader !== 'string' || authorizationHeader.length > MAX_TOKEN_LENGTH + 64) {
    return undefined;
  }
  const match = /^\s*Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorizationHeader);
  return match?.[1];
}

export function createTokenVerifier(cfg: TokenVerifierConfig, clock: Clock = systemClock): TokenVerifier {
  assertValidConfig(cfg);
  const keys = keyResolver(cfg);
  const algorithms = [...cfg.algorithms];
  const cache = new VerifiedTokenCache(cfg.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES);
  const inFlight = new Map<string, Promise<Principal>>();

  const verifyUncached = async (token: string): Promise<Principal> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: cfg.issuer,
        audience: cfg.audience,
        algorithms,
        clockTolerance: cfg.clockToleranceSeconds,
        currentDate: new Date(clock.now()),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw classify(err);
    }
    const lifetime = tokenLifetimeProblem(payload, Math.floor(clock.now() / 1000), {
      maxLifetimeSeconds: cfg.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
      clockToleranceSeconds: cfg.clockToleranceSeconds,
    });
    if (lifetime) throw new TokenRejectedError('claims', lifetime);
    const principal = principalFrom(payload, cfg.tenantClaim);
    // jose has checked exp is a number; the cache holds the token until then, never longer.
    cache.set(token, principal, (payload.exp ?? 0) * 1000, clock.now());
    return principal;
  };

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0) {
        throw new TokenRejectedError('missing', 'no bearer token');
      }
      if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
        throw new TokenRejectedError('malformed', 'not a compact JWS');
      }
      const cached = cache.get(token, clock.now());
      if (cached) return cached;
      const pending = inFlight.get(token);
      if (pending) return pending;
      const verification = verifyUncached(token).finally(() => inFlight.delete(token));
      inFlight.set(token, verification);
      return verification;
    },
  };
}

function assertValidConfig(cfg: TokenVerifierConfig): void {
  const problems: string[] = [];
  if (!cfg.issuer) problems.push('issuer is required');
  if (!cfg.audience) problems.push('audience is required');
  if ((cfg.jwksUrl === undefined) === (cfg.jwks === undefined)) {
    problems.push('exactly one of jwksUrl and jwks is required');
  }
  if (cfg.jwksUrl !== undefined && !URL.canParse(cfg.jwksUrl)) problems.push('jwksUrl is not a URL');
  if (cfg.algorithms.length === 0) problems.push('algorithms must not be empty');
  for (const alg of cfg.algorithms) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg)) {
      problems.push(`algorithm ${alg} is not allowed (allowed: ${ASYMMETRIC_ALGORITHMS.join(', ')})`);
    }
  }
  if (!cfg.tenantClaim) problems.push('tenantClaim is required');
  const tolerance = cfg.clockToleranceSeconds;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    problems.push(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const lifetime = maxTokenLifetimeProblem(cfg.maxTokenLifetimeSeconds);
  if (lifetime) problems.push(`maxTokenLifetimeSeconds ${lifetime}`);
  for (const key of ['jwksTimeoutMs', 'jwksCooldownMs', 'jwksCacheMaxAgeMs', 'cacheMaxEntries'] as const) {
    const value = cfg[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      problems.push(`${key} must be a non-negative integer`);
    }
  }
  if (problems.length > 0) throw new TypeError(`Invalid token verifier config: ${problems.join('; ')}`);
}

function keyResolver(cfg: TokenVerifierConfig): JWTVerifyGetKey {
  if (cfg.jwks) return createLocalJWKSet(cfg.jwks);
  const url = new URL(cfg.jwksUrl ?? ''); // checked by assertValidConfig
  // jose makes a fetch Headers object when the set is made, which loads Node's fetch (undici):
  // several ms of every cold start's import (README decision 85). The first token needs fetch
  // anyway, to load the keys, so the set is made then.
  let remote: JWTVerifyGetKey | undefined;
  const remoteSet = (): JWTVerifyGetKey =>
    (remote ??= createRemoteJWKSet(url, {
      timeoutDuration: cfg.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
      cooldownDuration: cfg.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
      cacheMaxAge: cfg.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
    }));
  return async (header, token) => {
    try {
      return await remoteSet()(header, token);
    } catch (err) {
      // No matching key is the token's fault; anything else (refused, timeout, non-200, bad JSON)
      // means the issuer's keys could not be had.
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
        throw err;
      throw new TokenRejectedError('jwks_unavailable', 'JWKS could not be fetched', { cause: err });
    }
  };
}

function classify(err: unknown): TokenRejectedError {
  if (err instanceof TokenRejectedError) return err;
  const reject = (reason: TokenRejectionReason, message: string) =>
    new TokenRejectedError(reason, message, { cause: err });
  if (err instanceof errors.JWTExpired) return reject('expired', 'token expired');
  if (err instanceof errors.JWTClaimValidationFailed) return reject('claims', err.message);
  if (
    err instanceof errors.JOSEAlgNotAllowed ||
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys ||
    err instanceof errors.JOSENotSupported
  ) {
    return reject('signature', err.message);
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return reject('jwks_unavailable', err.message);
  }
  return reject('malformed', err instanceof Error ? err.message : 'token could not be verified');
}

const isSafeIdentifier = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length > 0 &&
  value.length <= MAX_IDENTIFIER_LENGTH &&
  !CONTROL_CHARS.test(value);

function principalFrom(payload: JWTPayload, tenantClaim: string): Principal {
  const subject = payload.sub;
  if (!isSafeIdentifier(subject)) throw new TokenRejectedError('claims', '"sub" claim is invalid');
  const tenant = payload[tenantClaim];
  if (!isSafeIdentifier(tenant)) throw new TokenRejectedError('claims', 'tenant claim is missing or invalid');
  return Object.freeze({ tenant, subject, scopes: Object.freeze(scopesFrom(payload)) });
}

/** `scope` (space-separated string) or `scp` (array or string); agent:<id> scopes are kept as-is. */
function scopesFrom(payload: JWTPayload): string[] {
  const raw = payload.scope !== undefined ? payload.scope : payload.scp;
  let parts: unknown[];
  if (typeof raw === 'string') parts = raw.split(' ');
  else if (Array.isArray(raw)) parts = raw;
  else throw new TokenRejectedError('scope', 'scope claim is missing or invalid');
  const scopes = new Set<string>();
  for (const part of parts) {
    if (part === '') continue;
    if (!isSafeIdentifier(part) || part.includes(' ')) {
      throw new TokenRejectedError('scope', 'scope claim has an invalid entry');
    }
    scopes.add(part);
  }
  if (scopes.size > MAX_SCOPES) throw new TokenRejectedError('scope', 'scope claim has too many entries');
  return [...scopes];
}

/** Bounded LRU of verified tokens; an entry is never served at or after its token's exp. */
class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAtMs: number }>();
  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs: number): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (nowMs >= entry.expiresAtMs) return undefined;
    this.entries.set(token, entry);
    return entry.principal;
  }

  set(token: string, principal: Principal, expiresAtMs: number, nowMs: number): void {
    if (this.maxEntries === 0 || expiresAtMs <= nowMs) return;
    this.entries.delete(token);
    this.entries.set(token, { principal, expiresAtMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
