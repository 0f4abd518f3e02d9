/**
 * Signing keys and token factories for verifier/authorizer tests: an RSA (RS256) and an EC
 * (ES256) issuer key published in a JWKS, a stranger key outside it, and hand-crafted attacks.
 */
import { base64url, type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';

export const TEST_ISSUER = 'https://issuer.test.example';
export const TEST_AUDIENCE = 'a2a-gateway-test';
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export interface TestKey {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface TestKeys {
  rsa: TestKey;
  ec: TestKey;
  /** Not in the JWKS. */
  stranger: TestKey;
  jwks: { keys: JWK[] };
}

async function testKey(alg: 'RS256' | 'ES256', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, publicJwk };
}

export async function createTestKeys(): Promise<TestKeys> {
  const [rsa, ec, stranger] = await Promise.all([
    testKey('RS256', 'rsa-1'),
    testKey('ES256', 'ec-1'),
    testKey('ES256', 'stranger-1'),
  ]);
  return { rsa, ec, stranger, jwks: { keys: [rsa.publicJwk, ec.publicJwk] } };
}

export interface TokenOptions {
  key: TestKey;
  claims?: Record<string, unknown>;
  /** Claims to drop from the defaults. */
  omit?: readonly string[];
  /** Seconds since the epoch used for iat/nbf/exp defaults. */
  now?: number;
  ttlSeconds?: number;
  kid?: string;
}

/** The default claims: a valid token for tenant acme with two scopes. */
export function defaultClaims(now: number, ttlSeconds = 300): Record<string, unknown> {
  return {
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    sub: 'alice',
    tenant: 'acme',
    scope: 'tasks:submit tasks:read',
    iat: now,
    nbf: now,
    exp: now + ttlSeconds,
  };
}

export function signToken(o: TokenOptions): Promise<string> {
  const claims = { ...defaultClaims(o.now ?? nowSeconds(), o.ttlSeconds), ...o.claims };
  for (const name of o.omit ?? []) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.key.alg, kid: o.kid ?? o.key.kid, typ: 'JWT' })
    .sign(o.key.privateKey);
}

const encodeJson = (value: unknown): string => base64url.encode(JSON.stringify(value));

/** `alg: none`, no signature. */
export function unsignedToken(claims: Record<string, unknown> = defaultClaims(nowSeconds())): string {
  return `${encodeJson({ alg: 'none', typ: 'JWT' })}.${encodeJson(claims)}.`;
}

/** HS256 with the issuer's public key bytes (SPKI PEM) as the HMAC secret: algorithm confusion. */
export async function hmacWithPublicKeyToken(key: TestKey): Promise<string> {
  const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
  return new SignJWT(defaultClaims(nowSeconds()))
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .sign(secret);
}

/** A valid token whose payload was swapped after signing (tenant changed). */
export async function tamperedToken(key: TestKey): Promise<string> {
  const [header, , signature] = (await signToken({ key })).split('.');
  const forged = encodeJson({ ...defaultClaims(nowSeconds()), tenant: 'globex' });
  return `${header}.${forged}.${signature}`;
}
