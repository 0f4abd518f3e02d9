/**
 * The local dev issuer used by `npm start`, `npm run token` and tests: an ES256 key, kept in
 * `${dir}/dev-issuer-key.json` (mode 0600) or in memory, that mints tokens the token verifier
 * accepts when given the issuer's static JWKS. Never used in a deployed stack.
 */
import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './token-lifetime';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

export const DEV_ISSUER = 'urn:a2a-gateway:dev-issuer';
export const DEV_AUDIENCE = 'a2a-gateway';
export const DEV_KEY_FILE = 'dev-issuer-key.json';
export const ALL_SCOPES = ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'] as const;
export type GatewayScope = (typeof ALL_SCOPES)[number];

const ALG = 'ES256';
const DEFAULT_SUBJECT = 'dev-user';
const DEFAULT_TTL_SECONDS = 3600;

export interface MintOptions {
  tenant: string;
  subject?: string;
  scopes: readonly string[];
  ttlSeconds?: number;
  /** Each id adds the scope `agent:<id>`. */
  agents?: readonly string[];
}

export interface DevIssuer {
  issuer: string;
  audience: string;
  kid: string;
  jwks: { keys: JWK[] };
  mint(o: MintOptions): Promise<string>;
}

/** Loads the key from `${dir}/dev-issuer-key.json`, generating it (mode 0600) on first call. */
export async function loadOrCreateDevIssuer(dir: string): Promise<DevIssuer> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, DEV_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing) return issuerFrom(existing);
  const created = await generatePrivateJwk();
  // Write a temp file, then link it into place: concurrent first calls agree on one key, and a
  // reader never sees a half-written file.
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, path);
    return issuerFrom(created);
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
    const winner = await readKeyFile(path);
    if (!winner) throw err;
    return issuerFrom(winner);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** An in-memory issuer with a fresh key, for tests. */
export async function createEphemeralDevIssuer(): Promise<DevIssuer> {
  return issuerFrom(await generatePrivateJwk());
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart(jwk));
  return { ...jwk, kid, alg: ALG, use: 'sig' };
}

/** The public members of an EC key: kty, crv, x, y (those it has). */
const publicPart = ({ kty, crv, x, y }: JWK): JWK => ({
  ...(kty === undefined ? {} : { kty }),
  ...(crv === undefined ? {} : { crv }),
  ...(x === undefined ? {} : { x }),
  ...(y === undefined ? {} : { y }),
});

async function readKeyFile(path: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  const jwk = parseKey(text);
  if (!jwk) {
    throw new Error(
      `${path} is not a valid dev issuer key (ES256 private JWK); delete it to generate a new one`,
    );
  }
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return jwk;
}

function parseKey(text: string): JWK | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const jwk = value as Record<string, unknown>;
  const strings = ['x', 'y', 'd', 'kid'].every((k) => typeof jwk[k] === 'string' && jwk[k] !== '');
  return jwk.kty === 'EC' && jwk.crv === 'P-256' && strings ? (jwk as JWK) : undefined;
}

async function issuerFrom(privateJwk: JWK): Promise<DevIssuer> {
  const kid = privateJwk.kid ?? '';
  const privateKey = await importJWK(privateJwk, ALG);
  const publicJwk: JWK = { ...publicPart(privateJwk), kid, alg: ALG, use: 'sig' };
  return {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    kid,
    jwks: { keys: [publicJwk] },
    async mint(o) {
      const { tenant, scopes } = validMintOptions(o);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tenant, scope: scopes.join(' ') })
        .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject(o.subject ?? DEFAULT_SUBJECT)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + (o.ttlSeconds ?? DEFAULT_TTL_SECONDS))
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}

function validMintOptions(o: MintOptions): { tenant: string; scopes: string[] } {
  const problems: string[] = [];
  if (typeof o.tenant !== 'string' || o.tenant.trim() === '')
    problems.push('tenant must be a non-empty string');
  if (o.subject !== undefined && o.subject.trim() === '') problems.push('subject must not be empty');
  const ttl = o.ttlSeconds;
  // the verifiers refuse a token living longer than the default maximum lifetime
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0 && ttl <= DEFAULT_MAX_TOKEN_LIFETIME_SECONDS))
    problems.push(`ttlSeconds must be a positive integer up to ${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS}`);
  const scopes = [...o.scopes, ...(o.agents ?? []).map((id) => `agent:${id}`)];
  for (const scope of scopes) {
    if (!/^[\x21-\x7e]+$/.test(scope) || scope.endsWith(':'))
      problems.push(`invalid scope ${JSON.stringify(scope)}`);
  }
  if (problems.length > 0) throw new TypeError(`Cannot mint a dev token: ${problems.join('; ')}`);
  return { tenant: o.tenant, scopes: [...new Set(scopes)] };
}

const errorCode = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

/** The verifier that trusts exactly this issuer (local stack, tests, bench and resilience rigs). */
export function devIssuerVerifier(issuer: Pick<DevIssuer, 'issuer' | 'audience' | 'jwks'>): TokenVerifier {
  return createTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwks: issuer.jwks,
    algorithms: ['ES256'],
    tenantClaim: 'tenant',
    clockToleranceSeconds: 30,
  });
}
