/**
 * The push signing keys in AWS: one Secrets Manager client per process, keys cached for five
 * minutes (a rotation reaches every Lambda within that, and receivers re-fetch the JWKS on an
 * unknown kid).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsConfig } from '../aws/aws-config';
import { cachedSigningKeys } from './cached-signing-keys';
import { loadSigningKeysFromSecretsManager } from './push-signing-keys';
import type { SigningKeys } from './signing-keys';

const KEY_CACHE_MS = 5 * 60_000;
const loaders = new Map<string, () => Promise<SigningKeys>>();

export function signingKeysFromSecret(aws: AwsConfig, secretId: string): () => Promise<SigningKeys> {
  let loader = loaders.get(secretId);
  if (!loader) {
    const client = new SecretsManagerClient({
      region: aws.region,
      ...(aws.secretsManagerEndpoint ? { endpoint: aws.secretsManagerEndpoint } : {}),
    });
    loader = cachedSigningKeys(() => loadSigningKeysFromSecretsManager(client, secretId), KEY_CACHE_MS);
    loaders.set(secretId, loader);
  }
  return loader;
}
