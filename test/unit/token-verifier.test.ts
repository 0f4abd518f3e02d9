import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  bearerToken,
  createTokenVerifier,
  type TokenRejectionReason,
  type TokenVerifier,
  type TokenVerifierConfig,
} from '../../authorizer/token-verifier';
import type { Clock } from '../../core/ports/clock';
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

let keys: TestKeys;
let jwks: JwksServer;

beforeAll(async () => {
  keys = await createTestKeys();
  jwks = await startJwksServer(keys.jwks);
});
afterAll(() => jwks.close());
afterEach(() => {
  vi.restoreAllMocks();
});

const configFor = (overrides: Partial<TokenVerifierConfig> = {}): TokenVerifierConfig => ({
  issuer: TEST_ISSUER,
  audience: TEST_AUDIENCE,
  jwksUrl: jwks.url,
  algorithms: ['RS256', 'ES256'],
  tenantClaim: 'tenant',
  clockToleranceSeconds: 30,
  ...overrides,
});

/** One verifier for the simple cases, like a warm Lambda. */
let warm: TokenVerifier;
beforeAll(() => {
  warm = createTokenVerifier(configFor());
});

async function rejection(promise: Promise<unknown>): Promise<TokenRejectionReason> {
  const err = await promise.then(
    () => {
      throw new Error('expected the token to be rejected');
    },
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ name: 'TokenRejectedError' });
  return (err as { reasonClass: TokenRejectionReason }).reasonClass;
}

const manualClock = (startMs: number): Clock & { set(ms: number): void } => {
  let now = startMs;
  return { now: () => now, set: (ms) => (now = ms) };
};

describe('createTokenVerifier', () => {
  it('returns the principal for a valid RS256 token', async () => {
    const principal = await warm.verify(await signToken({ key: keys.rsa }));
    expect(principal).toEqual({ tenant: 'acme', subject: 'alice', scopes: ['tasks:submit', 'tasks:read'] });
  });

  it('returns the principal for a valid ES256 token with an scp array and agent scopes', async () => {
    const token = await signToken({
      key: keys.ec,
      claims: { scp: ['tasks:read', 'agent:echo'] },
      omit: ['scope'],
    });
    expect(await warm.verify(token)).toEqual({
      tenant: 'acme',
      subject: 'alice',
      scopes: ['tasks:read', 'agent:echo'],
    });
  });

  it('reads the tenant from a configured claim such as custom:tenant', async () => {
    const verifier = createTokenVerifier(configFor({ tenantClaim: 'custom:tenant' }));
    const token = await signToken({ key: keys.ec, claims: { 'custom:tenant': 'globex' }, omit: ['tenant'] });
    expect((await verifier.verify(token)).tenant).toBe('globex');
  });

  it('accepts a token expired by less than the clock tolerance', async () => {
    const token = await signToken({ key: keys.ec, now: nowSeconds() - 310, ttlSeconds: 300 });
    expect((await warm.verify(token)).subject).toBe('alice');
  });

  it.each<[string, () => Promise<string>, TokenRejectionReason]>([
    [
      'an expired token',
      () => signToken({ key: keys.rsa, now: nowSeconds() - 400, ttlSeconds: 300 }),
      'expired',
    ],
    [
      'a token not yet valid (nbf)',
      () => signToken({ key: keys.rsa, claims: { nbf: nowSeconds() + 120 } }),
      'claims',
    ],
    [
      'a token from another issuer',
      () => signToken({ key: keys.rsa, claims: { iss: 'https://evil.example' } }),
      'claims',
    ],
    [
      'a token for another audience',
      () => signToken({ key: keys.ec, claims: { aud: 'other-api' } }),
      'claims',
    ],
    ['an alg:none token', async () => unsignedToken(), 'signature'],
    ['an HS256 token keyed with the RSA public key', () => hmacWithPublicKeyToken(keys.rsa), 'signature'],
    ['an HS256 token keyed with the EC public key', () => hmacWithPublicKeyToken(keys.ec), 'signature'],
    ['a token with an unknown kid', () => signToken({ key: keys.stranger }), 'signature'],
    [
      'a token signed by a stranger under a known kid',
      () => signToken({ key: keys.stranger, kid: 'ec-1' }),
      'signature',
    ],
    ['a token with a tampered payload', () => tamperedToken(keys.rsa), 'signature'],
    ['a token without a scope claim', () => signToken({ key: keys.ec, omit: ['scope'] }), 'scope'],
    ['a token with a non-string scope', () => signToken({ key: keys.ec, claims: { scope: 42 } }), 'scope'],
    ['a token without a tenant claim', () => signToken({ key: keys.ec, omit: ['tenant'] }), 'claims'],
    ['a token with an empty tenant', () => signToken({ key: keys.ec, claims: { tenant: '' } }), 'claims'],
    [
      'a token with a control char in the tenant',
      () => signToken({ key: keys.ec, claims: { tenant: 'a\nb' } }),
      'claims',
    ],
    [
      'a token with an over-long tenant',
      () => signToken({ key: keys.ec, claims: { tenant: 't'.repeat(257) } }),
      'claims',
    ],
    ['a token without sub', () => signToken({ key: keys.ec, omit: ['sub'] }), 'claims'],
    ['a token without exp', () => signToken({ key: keys.ec, omit: ['exp'] }), 'claims'],
    ['an empty token', async () => '', 'missing'],
    ['a token that is not a JWS', async () => 'not-a-jwt', 'malformed'],
    ['a JWS with a garbage header', async () => 'e30.e30.c2ln', 'malformed'],
  ])('rejects %s', async (_name, token, reason) => {
    expect(await rejection(warm.verify(await token()))).toBe(reason);
  });

  it('refuses configs that allow none or HS256, or no algorithm at all', () => {
    expect(() => createTokenVerifier(configFor({ algorithms: ['none'] }))).toThrow(/none is not allowed/);
    expect(() => createTokenVerifier(configFor({ algorithms: ['RS256', 'HS256'] }))).toThrow(/HS256/);
    expect(() => createTokenVerifier(configFor({ algorithms: [] }))).toThrow(/must not be empty/);
  });

  it('refuses a config with both or neither of jwksUrl and jwks', () => {
    expect(() => createTokenVerifier(configFor({ jwks: keys.jwks }))).toThrow(/exactly one/);
    const { jwksUrl: _url, ...noUrl } = configFor();
    expect(() => createTokenVerifier(noUrl)).toThrow(/exactly one/);
  });

  it('refuses a jwksUrl that is not a URL at wiring, though the key set is made at the first token', () => {
    expect(() => createTokenVerifier(configFor({ jwksUrl: 'not a url' }))).toThrow(/jwksUrl is not a URL/);
  });

  it('verifies against a static JWKS without any HTTP', async () => {
    const server = await startJwksServer(keys.jwks);
    const { jwksUrl: _url, ...noUrl } = configFor();
    const verifier = createTokenVerifier({ ...noUrl, jwks: keys.jwks });
    expect((await verifier.verify(await signToken({ key: keys.ec }))).tenant).toBe('acme');
    expect(server.requests).toBe(0);
    await server.close();
  });
});

describe('JWKS fetching', () => {
  it('fetches the JWKS once for many verifications', async () => {
    const server = await startJwksServer(keys.jwks);
    const verifier = createTokenVerifier(configFor({ jwksUrl: server.url }));
    const subjects = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const tokens = await Promise.all(
      subjects.map((sub, i) => signToken({ key: i % 2 ? keys.rsa : keys.ec, claims: { sub } })),
    );
    const principals = await Promise.all(tokens.map((t) => verifier.verify(t)));
    for (const sub of ['late-1', 'late-2', 'late-3']) {
      await verifier.verify(await signToken({ key: keys.rsa, claims: { sub } }));
    }
    expect(principals.map((p) => p.subject)).toEqual(subjects);
    expect(server.requests).toBe(1);
    await server.close();
  });

  it('denies without hanging when the JWKS endpoint refuses connections', async () => {
    const verifier = createTokenVerifier(configFor({ jwksUrl: await refusedJwksUrl() }));
    expect(await rejection(verifier.verify(await signToken({ key: keys.ec })))).toBe('jwks_unavailable');
  });

  it('denies within the JWKS timeout when the endpoint never answers', { timeout: 5_000 }, async () => {
    const server = await startJwksServer(keys.jwks, { mode: 'hang' });
    const verifier = createTokenVerifier(configFor({ jwksUrl: server.url, jwksTimeoutMs: 200 }));
    expect(await rejection(verifier.verify(await signToken({ key: keys.ec })))).toBe('jwks_unavailable');
    expect(server.requests).toBe(1);
    await server.close();
  });

  it('denies when the JWKS endpoint answers with an error status', async () => {
    const server = await startJwksServer(keys.jwks);
    const verifier = createTokenVerifier(configFor({ jwksUrl: server.url.replace('jwks.json', 'missing') }));
    expect(await rejection(verifier.verify(await signToken({ key: keys.ec })))).toBe('jwks_unavailable');
    await server.close();
  });
});

describe('verified-token cache', () => {
  it('does no crypto when the same token is verified again', async () => {
    const verifier = createTokenVerifier(configFor());
    const token = await signToken({ key: keys.rsa });
    const cryptoVerify = vi.spyOn(crypto.subtle, 'verify');
    const first = await verifier.verify(token);
    expect(cryptoVerify).toHaveBeenCalledTimes(1);
    const second = await verifier.verify(token);
    expect(second).toEqual(first);
    expect(cryptoVerify).toHaveBeenCalledTimes(1);
  });

  it('verifies a token once when it is presented twice concurrently', async () => {
    const verifier = createTokenVerifier(configFor());
    const token = await signToken({ key: keys.ec });
    const cryptoVerify = vi.spyOn(crypto.subtle, 'verify');
    await Promise.all([verifier.verify(token), verifier.verify(token)]);
    expect(cryptoVerify).toHaveBeenCalledTimes(1);
  });

  it('never serves a token at or after its exp', async () => {
    const start = nowSeconds();
    const clock = manualClock(start * 1000);
    const verifier = createTokenVerifier(configFor({ clockToleranceSeconds: 0 }), clock);
    const token = await signToken({ key: keys.ec, now: start, ttlSeconds: 60 });
    await verifier.verify(token);
    clock.set((start + 59) * 1000);
    await verifier.verify(token);
    clock.set((start + 60) * 1000);
    expect(await rejection(verifier.verify(token))).toBe('expired');
  });

  it('re-verifies a token inside the clock tolerance after its exp, and does not cache it', async () => {
    const start = nowSeconds();
    const clock = manualClock(start * 1000);
    const verifier = createTokenVerifier(configFor({ clockToleranceSeconds: 30 }), clock);
    const token = await signToken({ key: keys.ec, now: start, ttlSeconds: 60 });
    const cryptoVerify = vi.spyOn(crypto.subtle, 'verify');
    await verifier.verify(token);
    clock.set((start + 61) * 1000);
    await verifier.verify(token);
    await verifier.verify(token);
    expect(cryptoVerify).toHaveBeenCalledTimes(3);
    clock.set((start + 91) * 1000);
    expect(await rejection(verifier.verify(token))).toBe('expired');
  });

  it('keeps at most cacheMaxEntries tokens, evicting the least recently used', async () => {
    const verifier = createTokenVerifier(configFor({ cacheMaxEntries: 2 }));
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map((sub) => signToken({ key: keys.ec, claims: { sub } })),
    );
    if (!a || !b || !c) throw new Error('tokens not minted');
    const cryptoVerify = vi.spyOn(crypto.subtle, 'verify');
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // hit: a is now the most recent
    await verifier.verify(c); // evicts b
    expect(cryptoVerify).toHaveBeenCalledTimes(3);
    await verifier.verify(a);
    expect(cryptoVerify).toHaveBeenCalledTimes(3);
    await verifier.verify(b);
    expect(cryptoVerify).toHaveBeenCalledTimes(4);
  });

  it('does not cache rejected tokens', async () => {
    const verifier = createTokenVerifier(configFor());
    const token = await signToken({ key: keys.ec, omit: ['tenant'] });
    expect(await rejection(verifier.verify(token))).toBe('claims');
    expect(await rejection(verifier.verify(token))).toBe('claims');
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER  abc-_.def~+/=', 'abc-_.def~+/='],
  ])('extracts the token from %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Token abc',
    'Bearerabc.def.ghi',
    'Bearer abc def',
    'Bearer a.b.c,Bearer d.e.f',
    'Bearer <script>',
  ])('rejects %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
