/**
 * Receiver side, shipped for webhook owners: verifies the `X-A2A-Signature` JWS of a push
 * notification before the body is parsed. ES256 only; `iss`, `aud` (your webhook URL), `exp`
 * and `iat` (no older than maxAgeSeconds) are checked; the body's SHA-256 must match the signed
 * `body_sha256` over the exact bytes received; a `jti` seen within its validity window is a
 * replay. The JWKS is fetched and cached, and re-fetched when an unknown `kid` shows up (at most
 * once per cooldown), so key rotation needs no receiver change.
 *
 * Use the raw request body (a Buffer), not a re-serialized JSON object. De-duplicate
 * notifications on (taskId, seq): a retried delivery carries a new jti.
 */
import { timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWK, type JWTPayload, jwtVerify } from 'jose';
import { type Clock, systemClock } from '../../core/ports/clock';
import { bodySha256, PUSH_SIGNATURE_HEADER, PUSH_SIGNING_ALG, pushAudience } from './push-signer';

export const PushVerificationFailure = {
  missingSignature: 'MISSING_SIGNATURE',
  malformed: 'MALFORMED_SIGNATURE',
  algorithmNotAllowed: 'ALGORITHM_NOT_ALLOWED',
  unknownKey: 'UNKNOWN_KEY',
  badSignature: 'BAD_SIGNATURE',
  expired: 'EXPIRED',
  stale: 'STALE',
  claimMismatch: 'CLAIM_MISMATCH',
  bodyMismatch: 'BODY_MISMATCH',
  replayed: 'REPLAYED',
  invalidBody: 'INVALID_BODY',
  jwksUnavailable: 'JWKS_UNAVAILABLE',
} as const;
export type PushVerificationFailureReason =
  (typeof PushVerificationFailure)[keyof typeof PushVerificationFailure];

export class PushVerificationError extends Error {
  override readonly name = 'PushVerificationError';
  static readonly code = 'ERR_PUSH_VERIFICATION';
  readonly code = PushVerificationError.code;
  constructor(
    readonly reason: PushVerificationFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** What to answer the sender: 503 (retry later) when our JWKS fetch failed, else 401. */
  get httpStatus(): number {
    return this.reason === PushVerificationFailure.jwksUnavailable ? 503 : 401;
  }
}

export interface PushVerifierOptions {
  /** the gateway's JWKS endpoint (fetched, cached, re-fetched on an unknown kid) */
  jwksUrl?: string | URL;
  /** or a static key set */
  jwks?: { keys: JWK[] };
  issuer: string;
  /** your webhook URL, as registered */
  audience: string;
  /** reject tokens issued longer ago than this (default 300) */
  maxAgeSeconds?: number;
  /** jti values remembered (default 10 000): size it for your peak rate × maxAgeSeconds */
  replayCacheSize?: number;
  clock?: Clock;
  /** clock skew allowed on exp and iat (default 30) */
  clockToleranceSeconds?: number;
  /** minimum time between JWKS re-fetches on an unknown kid (default 30 000) */
  jwksCooldownMs?: number;
  jwksTimeoutMs?: number;
}

export type PushHeaders = Headers | Readonly<Record<string, string | string[] | undefined>>;

export interface VerifiedPushNotification {
  taskId: string;
  seq: number;
  jti: string;
  /** the parsed JSON body (a StreamResponse, or a 0.3 Task) */
  payload: unknown;
}

export interface PushVerifier {
  verify(request: { headers: PushHeaders; body: Buffer | string }): Promise<VerifiedPushNotification>;
}

export function createPushVerifier(o: PushVerifierOptions): PushVerifier {
  if ((o.jwksUrl === undefined) === (o.jwks === undefined))
    throw new Error('Pass exactly one of jwksUrl or jwks');
  const keys =
    o.jwksUrl !== undefined
      ? createRemoteJWKSet(new URL(o.jwksUrl), {
          cooldownDuration: o.jwksCooldownMs ?? 30_000,
          timeoutDuration: o.jwksTimeoutMs ?? 5_000,
        })
      : createLocalJWKSet(o.jwks ?? { keys: [] });
  const clock = o.clock ?? systemClock;
  const maxAge = o.maxAgeSeconds ?? 300;
  const tolerance = o.clockToleranceSeconds ?? 30;
  const audience = pushAudience(o.audience);
  const seen = new ReplayCache(o.replayCacheSize ?? 10_000);

  return {
    async verify({ headers, body }) {
      const token = signatureOf(headers);
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, keys, {
          algorithms: [PUSH_SIGNING_ALG],
          issuer: o.issuer,
          audience,
          typ: 'JWT',
          maxTokenAge: maxAge,
          clockTolerance: tolerance,
          currentDate: new Date(clock.now()),
          requiredClaims: ['iat', 'exp', 'jti', 'taskId', 'seq', 'body_sha256'],
        }));
      } catch (err) {
        throw fromJose(err);
      }
      const { jti, taskId, seq, body_sha256: signedHash, iat = 0, exp = 0 } = claims;
      if (
        typeof jti !== 'string' ||
        jti === '' ||
        typeof taskId !== 'string' ||
        typeof signedHash !== 'string'
      ) {
        throw new PushVerificationError(
          PushVerificationFailure.claimMismatch,
          'jti, taskId or body_sha256 is not a string',
        );
      }
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
        throw new PushVerificationError(
          PushVerificationFailure.claimMismatch,
          'seq is not a non-negative integer',
        );
      }
      // The exact bytes, before any parsing.
      const actual = Buffer.from(bodySha256(typeof body === 'string' ? Buffer.from(body, 'utf8') : body));
      const expected = Buffer.from(signedHash);
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        throw new PushVerificationError(
          PushVerificationFailure.bodyMismatch,
          'body does not match body_sha256',
        );
      }
      const nowSeconds = Math.floor(clock.now() / 1000);
      // Synchronous check-and-record: two concurrent deliveries of one token cannot both pass.
      if (!seen.add(jti, Math.min(exp, iat + maxAge) + tolerance, nowSeconds)) {
        throw new PushVerificationError(PushVerificationFailure.replayed, 'jti was already used');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
      } catch (cause) {
        throw new PushVerificationError(PushVerificationFailure.invalidBody, 'body is not JSON', { cause });
      }
      return { taskId, seq, jti, payload };
    },
  };
}

/** Bounded jti memory: oldest entries go first once full or once past their window. */
class ReplayCache {
  private readonly until = new Map<string, number>();
  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error('replayCacheSize must be a positive integer');
  }

  /** Records jti until `untilSeconds`; false if it is already recorded and still in its window. */
  add(jti: string, untilSeconds: number, nowSeconds: number): boolean {
    const known = this.until.get(jti);
    if (known !== undefined && known >= nowSeconds) return false;
    this.until.delete(jti);
    for (const [key, expiry] of this.until) {
      if (expiry >= nowSeconds && this.until.size < this.max) break;
      this.until.delete(key);
    }
    this.until.set(jti, untilSeconds);
    return true;
  }
}

function signatureOf(headers: PushHeaders): string {
  const name = PUSH_SIGNATURE_HEADER.toLowerCase();
  let value: string | string[] | null | undefined;
  if (headers instanceof Headers) {
    value = headers.get(name);
  } else {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(value) || (typeof value === 'string' && value.includes(','))) {
    throw new PushVerificationError(
      PushVerificationFailure.malformed,
      `more than one ${PUSH_SIGNATURE_HEADER} header`,
    );
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PushVerificationError(
      PushVerificationFailure.missingSignature,
      `${PUSH_SIGNATURE_HEADER} header is missing`,
    );
  }
  return value.trim();
}

function fromJose(err: unknown): PushVerificationError {
  const F = PushVerificationFailure;
  const wrap = (reason: PushVerificationFailureReason, message: string): PushVerificationError =>
    new PushVerificationError(reason, message, { cause: err });
  if (err instanceof errors.JWTExpired) {
    return err.claim === 'exp'
      ? wrap(F.expired, 'signature has expired')
      : wrap(F.stale, `${err.claim} is too old`);
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return err.claim === 'iat' || err.claim === 'nbf'
      ? wrap(F.stale, `${err.claim} is not acceptable: ${err.reason}`)
      : wrap(
          F.claimMismatch,
          `claim ${err.claim} ${err.reason === 'missing' ? 'is missing' : 'does not match'}`,
        );
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return wrap(F.algorithmNotAllowed, `only ${PUSH_SIGNING_ALG} is accepted`);
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return wrap(F.unknownKey, 'no single key in the JWKS matches the kid');
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return wrap(F.badSignature, 'signature verification failed');
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JOSENotSupported
  ) {
    return wrap(F.malformed, 'not a valid compact JWS');
  }
  // JWKS fetch failures: timeouts, non-200, invalid JSON, network errors.
  return wrap(F.jwksUnavailable, 'the JWKS could not be fetched');
}
