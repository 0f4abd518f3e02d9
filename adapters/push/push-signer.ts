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
import { createHash, KeyObject, randomUUID, sign as signBytes } from 'node:crypto';
import type { CryptoKey } from 'jose';
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
      const token = compactJws(keys.current.kid, keys.current.privateKey, claims);
      return { token, jti: claims.jti, kid: keys.current.kid, expiresAt: claims.exp };
    },
  };
}

/**
 * The compact JWS (RFC 7515) of the claims, signed with node:crypto in this thread: the same
 * bytes jose's SignJWT produces (protected header, then the claims as given), without its
 * asynchronous WebCrypto job per signature. ES256 signatures are the raw r || s (P1363) form.
 */
function compactJws(kid: string, privateKey: CryptoKey, claims: PushSignatureClaims): string {
  const header = base64url(JSON.stringify({ alg: PUSH_SIGNING_ALG, kid, typ: 'JWT' }));
  const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
  const signature = signBytes('sha256', Buffer.from(signingInput, 'utf8'), {
    key: keyObjectOf(privateKey),
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** The KeyObject of a key set's CryptoKey, converted once per key (keys are cached by their source). */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();
function keyObjectOf(key: CryptoKey): KeyObject {
  let found = keyObjects.get(key);
  if (!found) {
    found = KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
    keyObjects.set(key, found);
  }
  return found;
}

/** base64url (no padding) SHA-256 of the exact bytes; a string is hashed as its UTF-8 bytes. */
export function bodySha256(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** The `aud` for a webhook URL: its WHATWG serialization, so signer and receiver agree. */
export function pushAudience(url: string): string {
  let audience = audiences.get(url);
  if (audience === undefined) {
    audience = new URL(url).href;
    if (audiences.size >= MAX_CACHED_AUDIENCES) audiences.clear();
    audiences.set(url, audience);
  }
  return audience;
}

/** Serializations already worked out (one URL parse per webhook URL, not per signature), bounded. */
const audiences = new Map<string, string>();
const MAX_CACHED_AUDIENCES = 1_000;
