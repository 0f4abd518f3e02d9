/**
 * Signing keys loaded once and refreshed after `ttlMs`, so the hot path reads no secret and a
 * rotation reaches every Lambda within the TTL. A failed refresh keeps serving the old keys.
 */
import type { SigningKeys } from './signing-keys';

export function cachedSigningKeys(
  load: () => Promise<SigningKeys>,
  ttlMs: number,
  now = Date.now,
): () => Promise<SigningKeys> {
  let cached: { keys: SigningKeys; at: number } | undefined;
  let loading: Promise<SigningKeys> | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.keys;
    loading ??= load()
      .then((keys) => {
        cached = { keys, at: now() };
        return keys;
      })
      .catch((err) => {
        if (cached) return cached.keys;
        throw err;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
}
