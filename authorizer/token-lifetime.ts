/**
 * How long a token may live: `exp - iat` is at most the maximum lifetime, and `iat` is not in the
 * future beyond the clock skew. A token without `iat` is accepted only while its `exp` is at most
 * the maximum lifetime away, so every token accepted now is dead within that lifetime either way.
 */
import type { JWTPayload } from 'jose';

export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;
export const MIN_MAX_TOKEN_LIFETIME_SECONDS = 60;
export const MAX_MAX_TOKEN_LIFETIME_SECONDS = 30 * 86_400;

/** Why the token's lifetime is refused, or undefined. `exp` has been checked to be a number. */
export function tokenLifetimeProblem(
  payload: JWTPayload,
  nowSeconds: number,
  o: { maxLifetimeSeconds: number; clockToleranceSeconds: number },
): string | undefined {
  const exp = payload.exp ?? 0;
  const { iat } = payload;
  if (iat === undefined) {
    return exp - nowSeconds > o.maxLifetimeSeconds + o.clockToleranceSeconds
      ? `a token without "iat" may expire at most ${o.maxLifetimeSeconds} s from now`
      : undefined;
  }
  if (iat > nowSeconds + o.clockToleranceSeconds) return '"iat" is in the future';
  if (exp - iat > o.maxLifetimeSeconds) return `token lifetime (exp - iat) exceeds ${o.maxLifetimeSeconds} s`;
  return undefined;
}

/** Why a configured maximum lifetime is not acceptable (undefined = the default), or undefined. */
export function maxTokenLifetimeProblem(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ok =
    Number.isInteger(value) &&
    value >= MIN_MAX_TOKEN_LIFETIME_SECONDS &&
    value <= MAX_MAX_TOKEN_LIFETIME_SECONDS;
  return ok
    ? undefined
    : `must be a whole number of seconds from ${MIN_MAX_TOKEN_LIFETIME_SECONDS} to ${MAX_MAX_TOKEN_LIFETIME_SECONDS}`;
}
