/**
 * Signing keys loaded once and refreshed after `ttlMs`, so the hot path reads no secret and a
 * rotation reaches every Lambda within the TTL. A failed refresh keeps serving the old keys.
 * The local key file is cached until the file changes (`fileCachedSigningKeys`).
 */
import { statSync } from 'node:fs';
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

/** What identifies one version of the key file: a rotation (rename) or an edit changes it. */
export interface FileVersion {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

// Synchronous: one stat of a small local file is a few microseconds, where the promise API
// costs a thread-pool round trip per signature.
const fileVersion = (path: string): FileVersion | undefined => {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s && { ino: s.ino, size: s.size, mtimeNs: s.mtimeNs };
};

const sameVersion = (a: FileVersion | undefined, b: FileVersion | undefined): boolean =>
  a !== undefined && b !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;

/**
 * Local mode: the key file read and imported once, then again only when it changed (its inode,
 * size or mtime differ: `rotateSigningKeysFile` renames a new file into place). Each call costs
 * one stat; calls made while a read is in flight share it. The version is taken before the read,
 * so a change during the read is seen by the next call.
 */
export function fileCachedSigningKeys(
  path: string,
  load: () => Promise<SigningKeys>,
): () => Promise<SigningKeys> {
  let cached: { keys: SigningKeys; version: FileVersion | undefined } | undefined;
  let loading: Promise<SigningKeys> | undefined;
  const reload = async (version: FileVersion | undefined): Promise<SigningKeys> => {
    const keys = await load();
    // A file created by this load (it generates one when absent) is the version read.
    cached = { keys, version: version ?? fileVersion(path) };
    return keys;
  };
  return async () => {
    const version = fileVersion(path);
    if (cached && sameVersion(cached.version, version)) return cached.keys;
    loading ??= reload(version).finally(() => {
      loading = undefined;
    });
    return loading;
  };
}
