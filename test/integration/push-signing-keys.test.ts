import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPushSigner, PUSH_SIGNATURE_HEADER } from '../../adapters/push/push-signer';
import { generateSigningJwk } from '../../adapters/push/push-signing-keys';
import {
  loadSigningKeysFromSecretsManager,
  rotateSigningKeysInSecretsManager,
} from '../../adapters/push/secret-signing-keys';
import { createPushVerifier } from '../../adapters/push/verify-push-notification';
import { awsTestEnv } from '../support/moto';

const client = new SecretsManagerClient(awsTestEnv(inject('motoEndpoint')));
const created: string[] = [];

afterAll(async () => {
  await Promise.all(
    created.map((id) =>
      client
        .send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }))
        .catch(() => undefined),
    ),
  );
  client.destroy();
});

async function createSecret(value: unknown): Promise<string> {
  const name = `a2a/push-signing-keys/${randomUUID()}`;
  await client.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }));
  created.push(name);
  return name;
}

describe('push signing keys in Secrets Manager (moto)', () => {
  it('loads the current key and publishes only its public part', async () => {
    const current = await generateSigningJwk();
    const keys = await loadSigningKeysFromSecretsManager(client, await createSecret({ current }));
    expect(keys.current.kid).toBe(current.kid);
    expect(keys.previous).toBeUndefined();
    expect(keys.jwks().keys).toEqual([
      { kty: 'EC', crv: 'P-256', x: current.x, y: current.y, kid: current.kid, alg: 'ES256', use: 'sig' },
    ]);
  });

  it('rotates by writing a new version: both kids are in the JWKS, and the old one is AWSPREVIOUS', async () => {
    const secretId = await createSecret({ current: await generateSigningJwk() });
    const before = await loadSigningKeysFromSecretsManager(client, secretId);

    const rotated = await rotateSigningKeysInSecretsManager(client, secretId);
    const after = await loadSigningKeysFromSecretsManager(client, secretId);
    expect(after.current.kid).toBe(rotated.current.kid);
    expect(after.current.kid).not.toBe(before.current.kid);
    expect(after.previous?.kid).toBe(before.current.kid);
    expect(after.jwks().keys.map((k) => k.kid)).toEqual([after.current.kid, before.current.kid]);
    expect(after.jwks().keys.every((k) => !('d' in k))).toBe(true);

    const stored = await client.send(
      new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }),
    );
    const material = JSON.parse(stored.SecretString ?? '{}') as { current: JWK; previous: JWK };
    expect(material.previous).not.toHaveProperty('d'); // the retired private key is not kept
    const previousVersion = await client.send(
      new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSPREVIOUS' }),
    );
    expect((JSON.parse(previousVersion.SecretString ?? '{}') as { current: JWK }).current.kid).toBe(
      before.current.kid,
    );

    // A signature made with the old key before the rotation still verifies with the new JWKS.
    const audience = 'https://hooks.example/push';
    const body = Buffer.from('{"task":{"id":"t-1"}}');
    const oldSignature = await createPushSigner({ issuer: 'urn:test', keys: before }).sign({
      url: audience,
      taskId: 't-1',
      seq: 1,
      body,
    });
    const newSignature = await createPushSigner({ issuer: 'urn:test', keys: after }).sign({
      url: audience,
      taskId: 't-1',
      seq: 2,
      body,
    });
    const verifier = createPushVerifier({ jwks: after.jwks(), issuer: 'urn:test', audience });
    for (const { token } of [oldSignature, newSignature]) {
      await expect(
        verifier.verify({ headers: { [PUSH_SIGNATURE_HEADER]: token }, body }),
      ).resolves.toBeDefined();
    }
  });

  it('accepts a previous key stored as a private JWK and computes missing kids', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const previous = await exportJWK(privateKey); // no kid, private part included
    const current = await generateSigningJwk();
    const keys = await loadSigningKeysFromSecretsManager(client, await createSecret({ current, previous }));
    expect(keys.previous?.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.jwks().keys).toHaveLength(2);
    expect(keys.jwks().keys.every((k) => !('d' in k))).toBe(true);
  });

  it('refuses a secret that is not a key set, without echoing it', async () => {
    const secretId = await createSecret({ current: { kty: 'oct', k: 'c2VjcmV0LXZhbHVl' } });
    await expect(loadSigningKeysFromSecretsManager(client, secretId)).rejects.toThrow(/ES256 private JWK/);
    await client.send(
      new PutSecretValueCommand({ SecretId: secretId, SecretString: 'c2VjcmV0LXZhbHVl not json' }),
    );
    const err = await loadSigningKeysFromSecretsManager(client, secretId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('c2VjcmV0LXZhbHVl');
  });
});
