import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileCachedSigningKeys } from '../../adapters/push/cached-signing-keys';
import {
  bodySha256,
  createPushSigner,
  PUSH_SIGNATURE_HEADER,
  type PushSigner,
} from '../../adapters/push/push-signer';
import {
  generateSigningJwk,
  loadSigningKeysFromFile,
  PUSH_SIGNING_KEYS_FILE,
  rotateSigningKeysFile,
  signingKeysFromMaterial,
} from '../../adapters/push/push-signing-keys';
import type { SigningKeys } from '../../adapters/push/signing-keys';
import {
  createPushVerifier,
  PushVerificationError,
  type PushVerifierOptions,
} from '../../adapters/push/verify-push-notification';
import type { Clock } from '../../core/ports/clock';

const ISSUER = 'urn:a2a-gateway:test';
const WEBHOOK = 'http://127.0.0.1:9090/webhook';
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const body = Buffer.from('{"statusUpdate":{"taskId":"task-1","status":{"state":"TASK_STATE_WORKING"}}}');

/** A JWKS endpoint on 127.0.0.1 whose key set the test can swap (rotation). */
interface JwksEndpoint {
  url: string;
  requests: number;
  serve(jwks: { keys: JWK[] }): void;
  close(): Promise<void>;
}

async function startJwksEndpoint(initial: { keys: JWK[] }): Promise<JwksEndpoint> {
  let current = initial;
  const server = createServer((_req, res) => {
    endpoint.requests += 1;
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(current));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint: JwksEndpoint = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    requests: 0,
    serve(jwks) {
      current = jwks;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return endpoint;
}

const clockAt = (ms: number): Clock & { set(ms: number): void } => {
  let now = ms;
  return {
    now: () => now,
    set: (v) => {
      now = v;
    },
  };
};

async function rejection(p: Promise<unknown>): Promise<PushVerificationError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PushVerificationError);
  return err as PushVerificationError;
}

let keys: SigningKeys;
let jwks: JwksEndpoint;
let clock: ReturnType<typeof clockAt>;
let signer: PushSigner;

beforeAll(async () => {
  keys = await signingKeysFromMaterial({ current: await generateSigningJwk() });
  jwks = await startJwksEndpoint(keys.jwks());
});
afterAll(() => jwks.close());
beforeEach(() => {
  clock = clockAt(T0);
  signer = createPushSigner({ issuer: ISSUER, keys, clock });
  jwks.serve(keys.jwks());
});

const verifierWith = (o: Partial<PushVerifierOptions> = {}) =>
  createPushVerifier({
    jwksUrl: jwks.url,
    issuer: ISSUER,
    audience: WEBHOOK,
    clock,
    jwksCooldownMs: 0,
    ...o,
  });

const headersFor = (token: string): Record<string, string> => ({
  'content-type': 'application/a2a+json',
  [PUSH_SIGNATURE_HEADER.toLowerCase()]: token,
});

describe('push signatures', () => {
  it('signs a compact ES256 JWS with kid, typ and the documented claims', async () => {
    const { token, jti, kid } = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 7, body });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: keys.current.kid, typ: 'JWT' });
    expect(kid).toBe(keys.current.kid);
    expect(decodeJwt(token)).toEqual({
      iss: ISSUER,
      aud: WEBHOOK,
      iat: T0 / 1000,
      exp: T0 / 1000 + 300,
      jti,
      taskId: 'task-1',
      seq: 7,
      body_sha256: bodySha256(body),
    });
    expect(PUSH_SIGNATURE_HEADER).toBe('X-A2A-Signature');
  });

  it('gives every delivery attempt its own jti', async () => {
    const a = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    const b = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    expect(a.jti).not.toBe(b.jti);
  });

  it('verifies against the served JWKS and returns taskId, seq, jti and the parsed body', async () => {
    const verifier = verifierWith();
    const signed = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 3, body });
    const out = await verifier.verify({ headers: headersFor(signed.token), body });
    expect(out).toEqual({ taskId: 'task-1', seq: 3, jti: signed.jti, payload: JSON.parse(body.toString()) });
    const again = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 4, body });
    await verifier.verify({ headers: new Headers(headersFor(again.token)), body: body.toString('utf8') });
    expect(jwks.requests).toBeGreaterThanOrEqual(1);
  });

  it('caches the JWKS between verifications', async () => {
    const before = jwks.requests;
    const verifier = verifierWith();
    for (const seq of [1, 2, 3]) {
      const { token } = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq, body });
      await verifier.verify({ headers: headersFor(token), body });
    }
    expect(jwks.requests - before).toBe(1);
  });

  it('rejects a tampered body before parsing it', async () => {
    const { token } = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    const tampered = Buffer.from(body.toString().replace('WORKING', 'COMPLETED'));
    expect(
      (await rejection(verifierWith().verify({ headers: headersFor(token), body: tampered }))).reason,
    ).toBe('BODY_MISMATCH');
    const notJson = Buffer.from('not json at all');
    expect(
      (await rejection(verifierWith().verify({ headers: headersFor(token), body: notJson }))).reason,
    ).toBe('BODY_MISMATCH');
  });

  it('rejects an expired signature', async () => {
    const shortLived = createPushSigner({ issuer: ISSUER, keys, clock, ttlSeconds: 60 });
    const { token } = await shortLived.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    clock.set(T0 + 120_000);
    const err = await rejection(
      verifierWith({ clockToleranceSeconds: 0 }).verify({ headers: headersFor(token), body }),
    );
    expect(err.reason).toBe('EXPIRED');
    expect(err.httpStatus).toBe(401);
  });

  it('rejects a token issued longer ago than maxAgeSeconds', async () => {
    const longLived = createPushSigner({ issuer: ISSUER, keys, clock, ttlSeconds: 3600 });
    const { token } = await longLived.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    clock.set(T0 + 600_000);
    const verifier = verifierWith({ maxAgeSeconds: 300, clockToleranceSeconds: 0 });
    expect((await rejection(verifier.verify({ headers: headersFor(token), body }))).reason).toBe('STALE');
  });

  it('rejects a token for another webhook (aud) or from another issuer', async () => {
    const { token } = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    const otherAud = verifierWith({ audience: 'http://127.0.0.1:9090/other' });
    expect((await rejection(otherAud.verify({ headers: headersFor(token), body }))).message).toContain('aud');
    const otherIss = verifierWith({ issuer: 'urn:someone-else' });
    expect((await rejection(otherIss.verify({ headers: headersFor(token), body }))).reason).toBe(
      'CLAIM_MISMATCH',
    );
  });

  it('rejects a replayed jti, but accepts the retry of the same notification', async () => {
    const verifier = verifierWith();
    const first = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 5, body });
    await verifier.verify({ headers: headersFor(first.token), body });
    expect((await rejection(verifier.verify({ headers: headersFor(first.token), body }))).reason).toBe(
      'REPLAYED',
    );
    const retry = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 5, body });
    await expect(verifier.verify({ headers: headersFor(retry.token), body })).resolves.toMatchObject({
      seq: 5,
    });
  });

  it('lets only one of two concurrent deliveries of one token through', async () => {
    const verifier = verifierWith();
    const { token } = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    const results = await Promise.allSettled([
      verifier.verify({ headers: headersFor(token), body }),
      verifier.verify({ headers: headersFor(token), body }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('rejects a missing signature, a non-ES256 algorithm and a bad signature', async () => {
    const verifier = verifierWith();
    expect((await rejection(verifier.verify({ headers: {}, body }))).reason).toBe('MISSING_SIGNATURE');
    const claims = { taskId: 'task-1', seq: 1, jti: 'j-1', body_sha256: bodySha256(body) };
    const unsigned = new UnsecuredJWT(claims)
      .setIssuer(ISSUER)
      .setAudience(WEBHOOK)
      .setIssuedAt(T0 / 1000)
      .encode();
    expect((await rejection(verifier.verify({ headers: headersFor(unsigned), body }))).reason).toBe(
      'ALGORITHM_NOT_ALLOWED',
    );
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(WEBHOOK)
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 60)
      .sign(new Uint8Array(32));
    expect((await rejection(verifier.verify({ headers: headersFor(hmac), body }))).reason).toBe(
      'ALGORITHM_NOT_ALLOWED',
    );
    const { token } = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.alloc(64, 1).toString('base64url')}`;
    expect((await rejection(verifier.verify({ headers: headersFor(forged), body }))).reason).toBe(
      'BAD_SIGNATURE',
    );
    expect((await rejection(verifier.verify({ headers: headersFor('garbage'), body }))).reason).toBe(
      'MALFORMED_SIGNATURE',
    );
  });

  it('answers 503 (retry) when the JWKS cannot be fetched', async () => {
    const { token } = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    const server = createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    const err = await rejection(verifierWith({ jwksUrl }).verify({ headers: headersFor(token), body }));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(err.reason).toBe('JWKS_UNAVAILABLE');
    expect(err.httpStatus).toBe(503);
  });

  it('verifies with a static JWKS too', async () => {
    const verifier = createPushVerifier({ jwks: keys.jwks(), issuer: ISSUER, audience: WEBHOOK, clock });
    const { token } = await signer.sign({ url: WEBHOOK, taskId: 'task-9', seq: 0, body });
    await expect(verifier.verify({ headers: headersFor(token), body })).resolves.toMatchObject({
      taskId: 'task-9',
    });
  });
});

describe('key rotation', () => {
  it('re-fetches the JWKS on an unknown kid, and keeps verifying the previous key while it is published', async () => {
    const verifier = verifierWith();
    const old = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 1, body });
    await verifier.verify({ headers: headersFor(old.token), body });
    const fetchesBefore = jwks.requests;

    const rotated = await signingKeysFromMaterial({
      current: await generateSigningJwk(),
      previous: keys.current.publicJwk,
    });
    expect(rotated.jwks().keys.map((k) => k.kid)).toEqual([rotated.current.kid, keys.current.kid]);
    jwks.serve(rotated.jwks());
    const newSigner = createPushSigner({ issuer: ISSUER, keys: rotated, clock });

    const fresh = await newSigner.sign({ url: WEBHOOK, taskId: 'task-1', seq: 2, body });
    await expect(verifier.verify({ headers: headersFor(fresh.token), body })).resolves.toMatchObject({
      seq: 2,
    });
    expect(jwks.requests).toBe(fetchesBefore + 1); // unknown kid → one re-fetch

    const stillOld = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 3, body });
    await expect(verifier.verify({ headers: headersFor(stillOld.token), body })).resolves.toMatchObject({
      seq: 3,
    });

    // Rotate again: the first key leaves the JWKS and its signatures stop verifying.
    const twice = await signingKeysFromMaterial({
      current: await generateSigningJwk(),
      previous: rotated.current.publicJwk,
    });
    jwks.serve(twice.jwks());
    const newest = await createPushSigner({ issuer: ISSUER, keys: twice, clock }).sign({
      url: WEBHOOK,
      taskId: 'task-1',
      seq: 4,
      body,
    });
    await verifier.verify({ headers: headersFor(newest.token), body });
    const dropped = await signer.sign({ url: WEBHOOK, taskId: 'task-1', seq: 5, body });
    expect((await rejection(verifier.verify({ headers: headersFor(dropped.token), body }))).reason).toBe(
      'UNKNOWN_KEY',
    );
  });
});

describe('local signing-key file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'push-keys-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is generated on first use with mode 0600 and reused afterwards', async () => {
    const [a, b] = await Promise.all([loadSigningKeysFromFile(dir), loadSigningKeysFromFile(dir)]);
    expect(a.current.kid).toBe(b.current.kid);
    const path = join(dir, PUSH_SIGNING_KEYS_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await loadSigningKeysFromFile(dir)).current.kid).toBe(a.current.kid);
    expect(a.previous).toBeUndefined();
    expect(a.jwks().keys).toHaveLength(1);
    expect(a.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('rotates: the old current key becomes previous, and both are in the JWKS', async () => {
    const before = await loadSigningKeysFromFile(dir);
    const after = await rotateSigningKeysFile(dir);
    expect(after.current.kid).not.toBe(before.current.kid);
    expect(after.previous?.kid).toBe(before.current.kid);
    expect(after.jwks().keys.map((k) => k.kid)).toEqual([after.current.kid, before.current.kid]);
    const reloaded = await loadSigningKeysFromFile(dir);
    expect(reloaded.current.kid).toBe(after.current.kid);
    const path = join(dir, PUSH_SIGNING_KEYS_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(path, 'utf8')) as { previous: JWK };
    expect(stored.previous).not.toHaveProperty('d');
  });

  it('is read once while unchanged and again after a rotation, when cached by its file', async () => {
    let reads = 0;
    const keys = fileCachedSigningKeys(join(dir, PUSH_SIGNING_KEYS_FILE), () => {
      reads += 1;
      return loadSigningKeysFromFile(dir);
    });
    const first = await keys();
    const again = await Promise.all([keys(), keys(), keys()]);
    expect(again.map((k) => k.current.kid)).toEqual([
      first.current.kid,
      first.current.kid,
      first.current.kid,
    ]);
    expect(reads).toBe(1);
    const rotated = await rotateSigningKeysFile(dir);
    expect((await keys()).current.kid).toBe(rotated.current.kid);
    expect(reads).toBe(2);
    await keys();
    expect(reads).toBe(2);
  });

  it('refuses a file that is not a key set', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, PUSH_SIGNING_KEYS_FILE), JSON.stringify({ current: { kty: 'RSA' } }), {
      mode: 0o600,
    });
    await expect(loadSigningKeysFromFile(dir)).rejects.toThrow(/ES256 private JWK/);
  });
});
