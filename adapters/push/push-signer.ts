/**
 * Signs push deliveries: a compact JWS (ES256, `kid`, `typ: JWT`) sent in the
 * `X-A2A-Signature` header, over the exact body bytes sent (claim `body_sha256`).
 *
 * Claims: `iss` (the gateway), `aud` (the webhook URL, WHATWG-normalized), `iat`, `exp`
 * (iat + 300 s by default), `jti`, `taskId`, `seq`, `body_sha256` (base64url SHA-256 of the
 * body bytes). `jti` is unique per delivery *attempt*: every POST, retries included, is signed
 * afresh. A receiver's replay cache then rejects a captured request sent again, yet still
 * accepts our retry of a delivery whose answer was lost; receivers de-duplicate notifications
 * on (taskId, seq), not on jti.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { type Clock, systemClock } from '../../core/ports/clock';
import type { SigningKeys } from './signing-keys';

/** The request header carrying the compact JWS. */
export const PUSH_SIGNATURE_HEADER = 'X-A2A-Signature';
/** The only algorithm used and accepted. */
export const PUSH_SIGNING_ALG = 'ES256';
export const DEFAULT_PUSH_TOKEN_TTL_SECONDS = 300;
/** The `iss` used in local mode (`npm start`); deployed stacks configure their own. */
export const LOCAL_PUSH_ISSUER = 'urn:a2a-gateway:push';

export interface PushSignatureClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  taskId: string;
  seq: number;
  body_sha256: string;
}

export interface SignPushInput {
  /** the webhook URL the body is POSTed to (becomes `aud`) */
  url: string;
  taskId: string;
  seq: number;
  /** the exact bytes that will be sent */
  body: Uint8Array;
}

export interface SignedPush {
  /** the compact JWS: the value of the X-A2A-Signature header */
  token: string;
  jti: string;
  kid: string;
  expiresAt: number;
}

export interface PushSigner {
  /** Call once per delivery attempt (each gets a new jti, iat and exp). */
  sign(input: SignPushInput): Promise<SignedPush>;
}

export interface PushSignerOptions {
  /** the gateway's issuer string (`iss`) */
  issuer: string;
  /** the keys, or a provider called per signature (so a rotation is picked up) */
  keys: SigningKeys | (() => Promise<SigningKeys>);
  ttlSeconds?: number;
  clock?: Clock;
  newJti?: () => string;
}

export function createPushSigner(o: PushSignerOptions): PushSigner {
  const ttl = o.ttlSeconds ?? DEFAULT_PUSH_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('ttlSeconds must be a positive integer');
  if (o.issuer === '') throw new Error('issuer must not be empty');
  const clock = o.clock ?? systemClock;
  const newJti = o.newJti ?? randomUUID;
  return {
    async sign({ url, taskId, seq, body }) {
      if (!Number.isSafeInteger(seq) || seq < 0) throw new Error('seq must be a non-negative integer');
      const keys = typeof o.keys === 'function' ? await o.keys() : o.keys;
      const iat = Math.floor(clock.now() / 1000);
      const claims: PushSignatureClaims = {
        iss: o.issuer,
        aud: pushAudience(url),
        iat,
        exp: iat + ttl,
        jti: newJti(),
        taskId,
        seq,
        body_sha256: bodySha256(body),
      };
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: PUSH_SIGNING_ALG, kid: keys.current.kid, typ: 'JWT' })
        .sign(keys.current.privateKey);
      return { token, jti: claims.jti, kid: keys.current.kid, expiresAt: claims.exp };
    },
  };
}

/** base64url (no padding) SHA-256 of the exact bytes; a string is hashed as its UTF-8 bytes. */
export function bodySha256(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** The `aud` for a webhook URL: its WHATWG serialization, so signer and receiver agree. */
export function pushAudience(url: string): string {
  return new URL(url).href;
}
