/**
 * The push signing keys in AWS: one Secrets Manager client per process, keys cached for five
 * minutes (a rotation reaches every Lambda within that, and receivers re-fetch the JWKS on an
 * unknown kid). Kept apart from push-signing-keys.ts (the format and the local file), so the
 * local stack never loads the Secrets Manager SDK.
 */
import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { AwsConfig } from '../aws/aws-config';
import { SDK_LOGGER } from '../aws/sdk-logger';
import { cachedSigningKeys } from './cached-signing-keys';
import { generateSigningJwk, type SigningKeyMaterial, signingKeysFromMaterial } from './push-signing-keys';
import type { SigningKeys } from './signing-keys';

const KEY_CACHE_MS = 5 * 60_000;
const loaders = new Map<string, () => Promise<SigningKeys>>();

export function signingKeysFromSecret(aws: AwsConfig, secretId: string): () => Promise<SigningKeys> {
  let loader = loaders.get(secretId);
  if (!loader) {
    const client = new SecretsManagerClient({
      region: aws.region,
      logger: SDK_LOGGER,
      ...(aws.secretsManagerEndpoint ? { endpoint: aws.secretsManagerEndpoint } : {}),
    });
    loader = cachedSigningKeys(() => loadSigningKeysFromSecretsManager(client, secretId), KEY_CACHE_MS);
    loaders.set(secretId, loader);
  }
  return loader;
}

/** Deployed: reads the AWSCURRENT version of the secret `{ current, previous? }`. */
export async function loadSigningKeysFromSecretsManager(
  client: SecretsManagerClient,
  secretId: string,
): Promise<SigningKeys> {
  return signingKeysFromMaterial(await readSecret(client, secretId), `secret ${secretId}`);
}

/**
 * Rotates the secret: writes a new version (it becomes AWSCURRENT) whose `current` is a fresh
 * key and whose `previous` is the public part of the old current key.
 */
export async function rotateSigningKeysInSecretsManager(
  client: SecretsManagerClient,
  secretId: string,
): Promise<SigningKeys> {
  const old = await loadSigningKeysFromSecretsManager(client, secretId);
  const next: SigningKeyMaterial = { current: await generateSigningJwk(), previous: old.current.publicJwk };
  await client.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      SecretString: JSON.stringify(next),
      ClientRequestToken: randomUUID(),
      VersionStages: ['AWSCURRENT'],
    }),
  );
  return signingKeysFromMaterial(next, `secret ${secretId}`);
}

async function readSecret(client: SecretsManagerClient, secretId: string): Promise<unknown> {
  const out = await client.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }),
  );
  if (typeof out.SecretString !== 'string') throw new Error(`Secret ${secretId} has no SecretString`);
  try {
    return JSON.parse(out.SecretString);
  } catch {
    // Never include the secret text in the error.
    throw new Error(`Secret ${secretId} is not JSON ({ current, previous? })`);
  }
}
