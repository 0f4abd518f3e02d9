/**
 * Remote agent credentials in AWS: the secret id is a Secrets Manager SecretId whose SecretString
 * is the credential itself (a bearer token, or an OAuth client secret). Throttling and outages
 * are thrown as they are (retryable, see workers/agent-worker/run-errors.ts); a missing secret is
 * SecretMissingError.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsConfig } from '../aws/aws-config';
import { SDK_LOGGER } from '../aws/sdk-logger';
import { SecretMissingError, type SecretSource } from './secret-source';

export function secretsManagerSource(aws: AwsConfig): SecretSource {
  const client = new SecretsManagerClient({
    region: aws.region,
    logger: SDK_LOGGER,
    ...(aws.secretsManagerEndpoint ? { endpoint: aws.secretsManagerEndpoint } : {}),
  });
  return {
    async get(secretId) {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        if (!out.SecretString) throw new SecretMissingError(secretId);
        return out.SecretString;
      } catch (err) {
        const name = (err as { name?: unknown }).name;
        if (name === 'ResourceNotFoundException' || name === 'AccessDeniedException') {
          throw new SecretMissingError(secretId);
        }
        throw err;
      }
    },
  };
}
