/**
 * Where the push-signing keys come from: ES256 JWKs, `{ current: <private JWK>, previous?:
 * <public or private JWK> }`, kept in Secrets Manager (deployed) or in
 * `.local/push-signing-keys.json` (local mode, mode 0600). `jwks()` is what the gateway serves.
 *
 * Rotation (either store): the new current key is generated, the old current becomes previous
 * (its public part only), and the old previous is dropped. Secrets Manager: `PutSecretValue`
 * writes a new version that takes AWSCURRENT (the old version keeps AWSPREVIOUS); gateway and
 * workers pick it up on their next load. Receivers re-fetch the JWKS on an unknown kid, and
 * signatures made with the previous key keep verifying while it stays in the JWKS, so rotate
 * again no sooner than the longest JWKS cache (or signature lifetime) you support.
 */
import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { PUSH_SIGNING_ALG } from './push-signer';
import type { SigningKeys } from './signing-keys';

export const PUSH_SIGNING_KEYS_FILE = 'push-signing-keys.json';

/** The stored form (file or secret string). */
export interface SigningKeyMaterial {
  current: JWK;
  previous?: JWK;
}

/** A fresh ES256 private JWK with `kid` = its RFC 7638 thumbprint. */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(PUSH_SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart(jwk));
  return { ...jwk, kid, alg: PUSH_SIGNING_ALG, use: 'sig' };
}

/** Validates stored material and imports the current private key. */
export async function signingKeysFromMaterial(
  material: unknown,
  source = 'signing key material',
): Promise<SigningKeys> {
  const { current, previous } = parseMaterial(material, source);
  const currentKid = current.kid ?? (await calculateJwkThumbprint(publicPart(current)));
  const privateKey = await importJWK({ ...current, alg: PUSH_SIGNING_ALG }, PUSH_SIGNING_ALG);
  if (privateKey instanceof Uint8Array) throw new Error(`${source}: current is not an EC key`);
  const currentPublic = publicJwk(current, currentKid);
  let usablePrevious: SigningKeys['previous'];
  if (previous) {
    const kid = previous.kid ?? (await calculateJwkThumbprint(publicPart(previous)));
    if (kid !== currentKid) usablePrevious = { kid, publicJwk: publicJwk(previous, kid) };
  }
  const keys = [currentPublic, ...(usablePrevious ? [usablePrevious.publicJwk] : [])];
  return {
    current: { kid: currentKid, privateKey, publicJwk: currentPublic },
    ...(usablePrevious ? { previous: usablePrevious } : {}),
    jwks: () => ({ keys: keys.map((k) => ({ ...k })) }),
  };
}

/** Local mode: loads `${dir}/push-signing-keys.json`, generating it (mode 0600) on first call. */
export async function loadSigningKeysFromFile(dir: string): Promise<SigningKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, PUSH_SIGNING_KEYS_FILE);
  const existing = await readMaterialFile(path);
  if (existing !== undefined) return signingKeysFromMaterial(existing, path);
  const created: SigningKeyMaterial = { current: await generateSigningJwk() };
  // Write a temp file, then link it into place: concurrent first calls agree on one key, and a
  // reader never sees a half-written file.
  const tmp = tempPath(path);
  await writeFile(tmp, serialize(created), { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, path);
    return await signingKeysFromMaterial(created, path);
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
    const winner = await readMaterialFile(path);
    if (winner === undefined) throw err;
    return signingKeysFromMaterial(winner, path);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Local mode: a new current key; the old current becomes previous. Creates the file if absent. */
export async function rotateSigningKeysFile(dir: string): Promise<SigningKeys> {
  const old = await loadSigningKeysFromFile(dir);
  const path = join(dir, PUSH_SIGNING_KEYS_FILE);
  const next: SigningKeyMaterial = { current: await generateSigningJwk(), previous: old.current.publicJwk };
  const tmp = tempPath(path);
  await writeFile(tmp, serialize(next), { mode: 0o600, flag: 'wx' });
  await rename(tmp, path); // atomic replace: readers see the old or the new file, never a mix
  return signingKeysFromMaterial(next, path);
}

function parseMaterial(value: unknown, source: string): { current: JWK; previous?: JWK } {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what} (expected { current: <ES256 private JWK>, previous?: <ES256 JWK> })`);
  };
  if (!isRecord(value)) return fail('not an object');
  const { current, previous } = value;
  if (!isP256Jwk(current) || typeof current.d !== 'string')
    return fail('current is not an ES256 private JWK');
  if (previous === undefined || previous === null) return { current };
  if (!isP256Jwk(previous)) return fail('previous is not an ES256 JWK');
  return { current, previous };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isP256Jwk(v: unknown): v is JWK {
  if (!isRecord(v) || v.kty !== 'EC' || v.crv !== 'P-256') return false;
  if (typeof v.x !== 'string' || typeof v.y !== 'string') return false;
  return v.kid === undefined || (typeof v.kid === 'string' && v.kid !== '');
}

/** The public members of an EC key: kty, crv, x, y (those it has). */
const publicPart = ({ kty, crv, x, y }: JWK): JWK => ({
  ...(kty === undefined ? {} : { kty }),
  ...(crv === undefined ? {} : { crv }),
  ...(x === undefined ? {} : { x }),
  ...(y === undefined ? {} : { y }),
});

const publicJwk = (jwk: JWK, kid: string): JWK => ({
  ...publicPart(jwk),
  kid,
  alg: PUSH_SIGNING_ALG,
  use: 'sig',
});

const serialize = (m: SigningKeyMaterial): string => `${JSON.stringify(m, null, 2)}\n`;

const tempPath = (path: string): string => `${path}.${process.pid}.${randomUUID()}.tmp`;

async function readMaterialFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON; delete it to generate a new key`);
  }
}

const errorCode = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;
