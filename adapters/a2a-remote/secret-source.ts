/**
 * Where the credentials for remote agents come from, by secret id: a file under `.local/secrets/`
 * in local mode, Secrets Manager in AWS (secrets-manager-source.ts). Values are cached briefly
 * and never logged; errors name the secret id only.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RemoteAgentMisconfiguredError } from '../../core/ports/remote-agent-client';

export interface SecretSource {
  get(secretId: string): Promise<string>;
}

/**
 * The secret is not configured (permanent: the gateway's config problem, not an outage, and not
 * the remote's refusal). The message names the secret id: for the log, never for a task.
 */
export class SecretMissingError extends RemoteAgentMisconfiguredError {
  static override readonly code = 'ERR_SECRET_MISSING';
  override readonly code = SecretMissingError.code;
  constructor(readonly secretId: string) {
    super('credentials', `secret ${secretId} cannot be read`);
  }
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_+=.@-]{0,255}$/;

/** Local mode: the secret `id` is the file `<dir>/<id>` (one path segment, trailing newline dropped). */
export function fileSecretSource(dir: string): SecretSource {
  return {
    async get(secretId) {
      if (!FILE_NAME.test(secretId) || secretId.includes('..')) throw new SecretMissingError(secretId);
      let value: string;
      try {
        value = await readFile(join(dir, secretId), 'utf8');
      } catch {
        throw new SecretMissingError(secretId);
      }
      const trimmed = value.replace(/\r?\n$/, '');
      if (trimmed === '') throw new SecretMissingError(secretId);
      return trimmed;
    },
  };
}

/** Caches each secret for `ttlMs` (a rotation is picked up within that), one read at a time. */
export function cachedSecretSource(
  inner: SecretSource,
  ttlMs: number,
  now: () => number = Date.now,
): SecretSource {
  const cache = new Map<string, { value: Promise<string>; until: number }>();
  return {
    get(secretId) {
      const hit = cache.get(secretId);
      if (hit && hit.until > now()) return hit.value;
      const value = inner.get(secretId);
      cache.set(secretId, { value, until: now() + ttlMs });
      value.catch(() => cache.delete(secretId));
      return value;
    },
  };
}
