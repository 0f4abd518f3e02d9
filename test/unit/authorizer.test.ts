import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Authorizer, createAuthorizer, type HttpApiAuthorizerEvent } from '../../authorizer/authorizer';
import { type AuthorizerConfig, AuthorizerConfigError, loadAuthorizerConfig } from '../../authorizer/config';
import { type JwksServer, refusedJwksUrl, startJwksServer } from '../support/jwks-server';
import {
  createTestKeys,
  hmacWithPublicKeyToken,
  nowSeconds,
  signToken,
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestKeys,
  tamperedToken,
  unsignedToken,
} from '../support/jwt-fixtures';

const FIXTURE = new URL('../fixtures/apigw-http-authorizer-event.json', import.meta.url);
const recordedEvent = (): HttpApiAuthorizerEvent => JSON.parse(readFileSync(FIXTURE, 'utf8'));

/** The recorded event with `authorization` (header and identity source) replaced. */
function eventWith(authorization: string | undefined): HttpApiAuthorizerEvent {
  const event = recordedEvent();
  if (authorization === undefined) {
    delete event.headers?.authorization;
    event.identitySource = [];
  } else {
    event.headers = { ...event.headers, authorization };
    event.identitySource = [authorization];
  }
  return event;
}

const envFor = (jwksUrl: string): Record<string, string> => ({
  AUTH_ISSUER: TEST_ISSUER,
  AUTH_AUDIENCE: TEST_AUDIENCE,
  AUTH_JWKS_URL: jwksUrl,
});

function capturedLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug', base: { service: 'authorizer' } },
    { write: (l: string) => lines.push(l) },
  );
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, records };
}

let keys: TestKeys;
let jwks: JwksServer;

beforeAll(async () => {
  keys = await createTestKeys();
  jwks = await startJwksServer(keys.jwks);
});
afterAll(() => jwks.close());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function authorizerFor(env: Record<string, string> = envFor(jwks.url)) {
  const log = capturedLogger();
  const authorize: Authorizer = createAuthorizer(loadAuthorizerConfig(env), { logger: log.logger });
  return { authorize, ...log };
}

describe('loadAuthorizerConfig', () => {
  it('applies the defaults and freezes the result', () => {
    const config = loadAuthorizerConfig(envFor('https://issuer.example/.well-known/jwks.json'));
    expect(config).toEqual<AuthorizerConfig>({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      jwksUrl: 'https://issuer.example/.well-known/jwks.json',
      tenantClaim: 'tenant',
      algorithms: ['RS256', 'ES256'],
      clockToleranceSeconds: 30,
      jwksTimeoutMs: 3000,
      maxTokenLifetimeSeconds: 86_400,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.algorithms)).toBe(true);
  });

  it('reads every optional key, treating empty values as unset', () => {
    const config = loadAuthorizerConfig({
      ...envFor('https://issuer.example/jwks'),
      AUTH_TENANT_CLAIM: 'custom:tenant',
      AUTH_ALGORITHMS: 'ES256, PS256',
      AUTH_CLOCK_TOLERANCE_SECONDS: '5',
      AUTH_JWKS_TIMEOUT_MS: '',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      tenantClaim: 'custom:tenant',
      algorithms: ['ES256', 'PS256'],
      clockToleranceSeconds: 5,
      jwksTimeoutMs: 3000,
      logLevel: 'warn',
    });
  });

  it('reports every problem together', () => {
    let error: unknown;
    try {
      loadAuthorizerConfig({
        AUTH_AUDIENCE: '',
        AUTH_JWKS_URL: 'http://issuer.example/jwks',
        AUTH_ALGORITHMS: 'RS256,HS256,none',
        AUTH_CLOCK_TOLERANCE_SECONDS: 'soon',
        LOG_LEVEL: 'loud',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AuthorizerConfigError);
    const problems = (error as AuthorizerConfigError).problems.join('\n');
    for (const key of [
      'AUTH_ISSUER',
      'AUTH_AUDIENCE',
      'AUTH_JWKS_URL',
      'HS256, none',
      'AUTH_CLOCK',
      'LOG_LEVEL',
    ]) {
      expect(problems).toContain(key);
    }
  });
});

describe('createAuthorizer', () => {
  it('allows a valid token and returns the principal as context', async () => {
    const { authorize } = authorizerFor();
    const token = await signToken({ key: keys.rsa, claims: { scope: 'tasks:submit agent:echo' } });
    expect(await authorize(eventWith(`Bearer ${token}`))).toEqual({
      isAuthorized: true,
      context: { tenant: 'acme', subject: 'alice', scopes: 'tasks:submit agent:echo' },
    });
  });

  it('reads the token from the identity source when the header is absent', async () => {
    const { authorize } = authorizerFor();
    const event = eventWith(undefined);
    event.identitySource = [`Bearer ${await signToken({ key: keys.ec })}`];
    expect(await authorize(event)).toMatchObject({ isAuthorized: true, context: { tenant: 'acme' } });
  });

  it.each<[string, () => Promise<string | undefined>, string]>([
    ['no Authorization header', async () => undefined, 'missing'],
    ['a Basic credential', async () => 'Basic dXNlcjpwYXNz', 'malformed'],
    [
      'an expired token',
      async () => `Bearer ${await signToken({ key: keys.rsa, now: nowSeconds() - 400 })}`,
      'expired',
    ],
    [
      'a token not yet valid',
      async () => `Bearer ${await signToken({ key: keys.rsa, claims: { nbf: nowSeconds() + 120 } })}`,
      'claims',
    ],
    [
      'a wrong issuer',
      async () => `Bearer ${await signToken({ key: keys.ec, claims: { iss: 'https://x' } })}`,
      'claims',
    ],
    [
      'a wrong audience',
      async () => `Bearer ${await signToken({ key: keys.ec, claims: { aud: 'x' } })}`,
      'claims',
    ],
    ['alg none', async () => `Bearer ${unsignedToken()}`, 'signature'],
    [
      'HS256 keyed with the RSA public key',
      async () => `Bearer ${await hmacWithPublicKeyToken(keys.rsa)}`,
      'signature',
    ],
    ['an unknown kid', async () => `Bearer ${await signToken({ key: keys.stranger })}`, 'signature'],
    ['a tampered payload', async () => `Bearer ${await tamperedToken(keys.ec)}`, 'signature'],
    ['no scope claim', async () => `Bearer ${await signToken({ key: keys.ec, omit: ['scope'] })}`, 'scope'],
    [
      'no tenant claim',
      async () => `Bearer ${await signToken({ key: keys.ec, omit: ['tenant'] })}`,
      'claims',
    ],
  ])('denies %s without saying why, and logs the reason class', async (_name, authorization, reason) => {
    const { authorize, records } = authorizerFor();
    const result = await authorize(eventWith(await authorization()));
    expect(result).toStrictEqual({ isAuthorized: false });
    expect(records()).toContainEqual(
      expect.objectContaining({ reason, requestId: 'Xk3bJgZ-liAEJ6Q=', service: 'authorizer' }),
    );
  });

  it('never logs the token', async () => {
    const { authorize, lines } = authorizerFor();
    const good = await signToken({ key: keys.ec });
    const bad = await signToken({ key: keys.ec, claims: { iss: 'https://x' } });
    await authorize(eventWith(`Bearer ${good}`));
    await authorize(eventWith(`Bearer ${bad}`));
    expect(lines.length).toBeGreaterThan(0);
    for (const token of [good, bad]) {
      for (const part of token.split('.')) expect(lines.join('\n')).not.toContain(part);
    }
  });

  it('denies without hanging when the JWKS endpoint is down', async () => {
    const { authorize, records } = authorizerFor(envFor(await refusedJwksUrl()));
    const result = await authorize(eventWith(`Bearer ${await signToken({ key: keys.ec })}`));
    expect(result).toStrictEqual({ isAuthorized: false });
    expect(records()).toContainEqual(expect.objectContaining({ reason: 'jwks_unavailable', level: 50 }));
  });

  it('denies within the configured JWKS timeout when the endpoint never answers', {
    timeout: 5_000,
  }, async () => {
    const slow = await startJwksServer(keys.jwks, { mode: 'hang' });
    const { authorize } = authorizerFor({ ...envFor(slow.url), AUTH_JWKS_TIMEOUT_MS: '200' });
    const result = await authorize(eventWith(`Bearer ${await signToken({ key: keys.ec })}`));
    expect(result).toStrictEqual({ isAuthorized: false });
    expect(slow.requests).toBe(1);
    await slow.close();
  });

  it('fetches the JWKS once across many invocations and verifies each token once', async () => {
    const server = await startJwksServer(keys.jwks);
    const { authorize } = authorizerFor(envFor(server.url));
    const tokens = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((sub) => signToken({ key: keys.rsa, claims: { sub } })),
    );
    const cryptoVerify = vi.spyOn(crypto.subtle, 'verify');
    for (const token of [...tokens, ...tokens]) {
      expect(await authorize(eventWith(`Bearer ${token}`))).toMatchObject({ isAuthorized: true });
    }
    expect(server.requests).toBe(1);
    expect(cryptoVerify).toHaveBeenCalledTimes(tokens.length);
    await server.close();
  });
});

describe('handler (Lambda entry) on the recorded HTTP API event', () => {
  async function loadHandler(env: Record<string, string>) {
    for (const [name, value] of Object.entries({ ...env, LOG_LEVEL: 'silent' })) vi.stubEnv(name, value);
    vi.resetModules();
    return (await import('../../authorizer/handler')).handler;
  }

  it('denies the event as recorded (its token is not signed by a known key)', async () => {
    const handler = await loadHandler(envFor(jwks.url));
    expect(await handler(recordedEvent())).toStrictEqual({ isAuthorized: false });
  });

  it('allows the recorded event carrying a fresh token', async () => {
    const handler = await loadHandler(envFor(jwks.url));
    const token = await signToken({ key: keys.ec, claims: { sub: 'bob', tenant: 'globex' } });
    expect(await handler(eventWith(`Bearer ${token}`))).toEqual({
      isAuthorized: true,
      context: { tenant: 'globex', subject: 'bob', scopes: 'tasks:submit tasks:read' },
    });
  });

  it('fails the cold start when the config is invalid', async () => {
    await expect(loadHandler({ AUTH_ISSUER: TEST_ISSUER })).rejects.toMatchObject({
      name: 'AuthorizerConfigError',
    });
  });
});
