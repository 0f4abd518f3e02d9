/**
 * The shared verifier bounds a token's lifetime (exp - iat, default 24 h) and refuses an `iat`
 * in the future beyond the clock skew, so the authorizer Lambda, the gateway and the streaming
 * Lambda all do. A token without `iat` is accepted only while its exp is within the maximum.
 */
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../authorizer/authorizer';
import { loadAuthorizerConfig } from '../../authorizer/config';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../../authorizer/token-lifetime';
import {
  createTokenVerifier,
  type TokenRejectionReason,
  type TokenVerifierConfig,
} from '../../authorizer/token-verifier';
import { startJwksServer } from '../support/jwks-server';
import {
  createTestKeys,
  nowSeconds,
  signToken,
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestKeys,
} from '../support/jwt-fixtures';

const HOUR = 3600;
let keys: TestKeys;
beforeAll(async () => {
  keys = await createTestKeys();
});

const verifier = (overrides: Partial<TokenVerifierConfig> = {}) =>
  createTokenVerifier({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    jwks: keys.jwks,
    algorithms: ['ES256'],
    tenantClaim: 'tenant',
    clockToleranceSeconds: 30,
    ...overrides,
  });

async function rejection(promise: Promise<unknown>): Promise<TokenRejectionReason | 'accepted'> {
  return promise.then(
    () => 'accepted' as const,
    (err: { reasonClass: TokenRejectionReason }) => err.reasonClass,
  );
}

describe('maximum token lifetime', () => {
  it('defaults to 24 hours', () => {
    expect(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS).toBe(24 * HOUR);
  });

  it('accepts a token living exactly the maximum and refuses one a second longer', async () => {
    const v = verifier();
    expect(await rejection(v.verify(await signToken({ key: keys.ec, ttlSeconds: 24 * HOUR })))).toBe(
      'accepted',
    );
    expect(await rejection(v.verify(await signToken({ key: keys.ec, ttlSeconds: 24 * HOUR + 1 })))).toBe(
      'claims',
    );
  });

  it('refuses a long-lived token even long after it was issued', async () => {
    const issuedLongAgo = nowSeconds() - 300 * 24 * HOUR;
    const token = await signToken({ key: keys.ec, now: issuedLongAgo, ttlSeconds: 365 * 24 * HOUR });
    expect(await rejection(verifier().verify(token))).toBe('claims');
  });

  it('takes the maximum from the config', async () => {
    const token = await signToken({ key: keys.ec, ttlSeconds: 2 * HOUR });
    expect(await rejection(verifier({ maxTokenLifetimeSeconds: HOUR }).verify(token))).toBe('claims');
    expect(await rejection(verifier({ maxTokenLifetimeSeconds: 2 * HOUR }).verify(token))).toBe('accepted');
  });

  it('accepts a token without iat only while its exp is within the maximum from now', async () => {
    const v = verifier();
    const near = await signToken({ key: keys.ec, omit: ['iat'], ttlSeconds: HOUR });
    const far = await signToken({ key: keys.ec, omit: ['iat'], ttlSeconds: 48 * HOUR });
    expect(await rejection(v.verify(near))).toBe('accepted');
    expect(await rejection(v.verify(far))).toBe('claims');
  });

  it('refuses configs with a maximum outside 60 s .. 30 days', () => {
    expect(() => verifier({ maxTokenLifetimeSeconds: 0 })).toThrow(/maxTokenLifetimeSeconds/);
    expect(() => verifier({ maxTokenLifetimeSeconds: 31 * 24 * HOUR })).toThrow(/maxTokenLifetimeSeconds/);
  });
});

describe('iat in the future', () => {
  it('refuses an iat beyond the clock skew', async () => {
    const now = nowSeconds();
    const token = await signToken({ key: keys.ec, claims: { iat: now + 120, nbf: now, exp: now + HOUR } });
    expect(await rejection(verifier().verify(token))).toBe('claims');
  });

  it('accepts an iat within the clock skew', async () => {
    const now = nowSeconds();
    const token = await signToken({ key: keys.ec, claims: { iat: now + 20, nbf: now, exp: now + HOUR } });
    expect(await rejection(verifier().verify(token))).toBe('accepted');
  });
});

describe('the authorizer', () => {
  const env = (extra: Record<string, string> = {}) => ({
    AUTH_ISSUER: TEST_ISSUER,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    AUTH_JWKS_URL: 'https://issuer.test.example/.well-known/jwks.json',
    ...extra,
  });

  it('reads AUTH_MAX_TOKEN_LIFETIME_SECONDS (default 24 h) and rejects values out of range', () => {
    expect(loadAuthorizerConfig(env()).maxTokenLifetimeSeconds).toBe(24 * HOUR);
    expect(
      loadAuthorizerConfig(env({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' })).maxTokenLifetimeSeconds,
    ).toBe(HOUR);
    expect(() => loadAuthorizerConfig(env({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '5' }))).toThrow(
      /AUTH_MAX_TOKEN_LIFETIME_SECONDS/,
    );
    expect(() => loadAuthorizerConfig(env({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: 'a day' }))).toThrow(
      /AUTH_MAX_TOKEN_LIFETIME_SECONDS/,
    );
  });

  it('denies a token living longer than its configured maximum (or 24 h by default)', async () => {
    const jwks = await startJwksServer(keys.jwks);
    try {
      const authorizerWith = (extra: Record<string, string>) =>
        createAuthorizer(loadAuthorizerConfig(env({ AUTH_JWKS_URL: jwks.url, ...extra })), {
          logger: pino({ level: 'silent' }),
        });
      const event = (token: string) => ({
        version: '2.0' as const,
        type: 'REQUEST' as const,
        routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/POST/agents/echo',
        headers: { authorization: `Bearer ${token}` },
      });
      const oneHour = await signToken({ key: keys.ec, ttlSeconds: HOUR });
      const twoHours = await signToken({ key: keys.ec, ttlSeconds: 2 * HOUR });
      const twoDays = await signToken({ key: keys.ec, ttlSeconds: 48 * HOUR });
      const strict = authorizerWith({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' });
      expect(await strict(event(oneHour))).toMatchObject({ isAuthorized: true });
      expect(await strict(event(twoHours))).toStrictEqual({ isAuthorized: false });
      const byDefault = authorizerWith({});
      expect(await byDefault(event(twoHours))).toMatchObject({ isAuthorized: true });
      expect(await byDefault(event(twoDays))).toStrictEqual({ isAuthorized: false });
    } finally {
      await jwks.close();
    }
  });
});
