/**
 * The push-signing key set: what the key stores (push-signing-keys.ts, the Secrets Manager and
 * cached sources) produce and what the signer and the JWKS route use. Its own module, so the
 * signer and the stores depend on it rather than on each other.
 */
import type { CryptoKey, JWK } from 'jose';

export interface SigningKeys {
  current: { kid: string; privateKey: CryptoKey; publicJwk: JWK };
  previous?: { kid: string; publicJwk: JWK };
  /** The public keys to publish: current, then previous. */
  jwks(): { keys: JWK[] };
}
